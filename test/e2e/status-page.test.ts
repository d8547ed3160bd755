import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../sandbox/demo/world.ts';
import type { MajorIncident } from '../../src/domain/major-incident.ts';
import {
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  watchedPage,
  SHOTS,
  warnWithoutChromium,
} from '../helpers/chromium.ts';
import { e2eWorld } from './e2e-world.ts';

/**
 * The public status page (GET /status) in Debian's Chromium, driven by playwright-core, against
 * the running service with the shipped config (payroll has `statusPage: true`): a declared major
 * incident with a hostile title and a public update shows as text, the page runs no script, and
 * its one stylesheet applies under the CSP (a blocked style would be a console error).
 */

const TITLE = 'Payroll <script>window.pwned=1</script> & "exports" ]]> <img src=x onerror="window.pwned=2">';
const UPDATE = 'Exports run again for half of the departments. <b>Next update</b> at 10:30.';

warnWithoutChromium('test/e2e/status-page.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the status page in Chromium (skipped without ${CHROMIUM})`, () => {
  let world: World;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await e2eWorld();
    browser = await launchChromium('status', { width: 1024, height: 768 });
    page = await watchedPage(browser, pageErrors);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  }, 30_000);

  it('shows the open major incident and its public update as text, runs nothing, and applies its style', async () => {
    const { service } = world;
    const declared = await service.admin<{ majorIncident: MajorIncident }>('POST', '/admin/major-incidents', {
      serviceId: 'payroll',
      title: TITLE,
      reason: 'status page test',
    });
    expect(declared.status).toBe(201);
    const mi = declared.body.majorIncident;
    expect((await service.admin('POST', `/admin/major-incidents/${mi.id}/updates`, { text: UPDATE })).status).toBe(202);

    const res = await page.goto(`${service.url}/status`);
    expect(res?.status()).toBe(200);
    const article = page.locator('article');
    await expect.poll(() => article.count()).toBe(1);
    expect(await article.locator('h2').textContent()).toBe(`Payroll: ${TITLE}`);
    expect(await article.locator('li').textContent()).toContain(UPDATE);
    // Nothing from the title or the update became an element or ran.
    expect(await page.locator('script, img, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The stylesheet applied (its hash is in the CSP): the article's red rule.
    expect(
      await article.evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { borderLeftColor: string } }).getComputedStyle(el)
            .borderLeftColor,
      ),
    ).toBe('rgb(198, 40, 40)');
    // Nothing internal on the page: not the internal id, the roles' emails or the ticket.
    const text = (await page.textContent('body')) ?? '';
    for (const secret of [mi.id, 'mim-oncall@example.edu', 'it-comms@example.edu', 'head-of-payroll@example.edu'])
      expect(text).not.toContain(secret);
    await page.screenshot({ path: path.join(SHOTS, 'status-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
