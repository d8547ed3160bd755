import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAS_CHROMIUM, launchChromium, watchedPage, SHOTS } from '../helpers/chromium.ts';
import { readinessConfig } from '../helpers/readiness-config.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * The console's readiness page (views/readiness.js) in Debian's Chromium against the running
 * service and its GET /admin/readiness (no vendor configured, so the checks call nothing). The test
 * renders the view module into the signed-in console the way the router does (console.test.ts
 * reaches the page through the nav). POST /admin/drills is answered at the browser's HTTP boundary
 * (page.route): that endpoint is the drills feature's; this page only calls it and shows the answer.
 * The screenshot goes to test-output/screenshots/readiness.png.
 */

const VIEWER = 'readiness-console-viewer';
const HOSTILE = '<img src=x onerror="window.__pwned=1">Payroll';

describe.skipIf(!HAS_CHROMIUM)(`the readiness page in Chromium (skipped without ${CHROMIUM})`, () => {
  let svc: TestService;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dir = readinessConfig();
    const services = path.join(dir, 'services.yaml');
    // A service name is config text: the page must show it as text, never as markup.
    writeFileSync(services, readFileSync(services, 'utf8').replace('name: Payroll', `name: '${HOSTILE}'`));
    // No vendor is configured: the connection checks the route reuses run, and call nothing.
    svc = await startTestService({
      MIM_CONFIG_DIR: dir,
      MIM_ADMIN_TOKENS: `vic:viewer:sha256:${createHash('sha256').update(VIEWER).digest('hex')}`,
      MIM_ADMIN_COOKIE_INSECURE: 'true',
    });
    browser = await launchChromium('readiness', { width: 1280, height: 900 });
    page = await watchedPage(browser, pageErrors, /status of (401|403)/);
    await page.goto(`${svc.url}/admin/ui/`);
    await page.getByLabel('Admin token').fill(VIEWER);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Open major incidents' }).waitFor();
    // What the router does for #/readiness: clear <main>, render the view with the console's status().
    // A string, so neither vite nor the compiler touches the browser's own dynamic imports; the module map
    // gives the console's own app.js back, not a second copy.
    await page.evaluate(`(async () => {
      const { status } = await import('/admin/ui/app.js');
      const { readiness } = await import('/admin/ui/views/readiness.js');
      const main = document.getElementById('main');
      main.replaceChildren();
      readiness({ main, status, go: (to) => { location.hash = to; } });
    })()`);
  }, 60_000);

  afterEach(() => {
    expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAndClean(svc);
  }, 30_000);

  it("shows each service's checks, fixes and targets, and config text as text", async () => {
    await page.getByRole('heading', { name: 'Readiness' }).waitFor();
    const payroll = page.locator('#readiness tr[data-service="payroll"]');
    await payroll.waitFor();
    const marks = (row: typeof payroll) =>
      row.locator('td[data-check]').evaluateAll((tds) => tds.map((td) => `${td.dataset.check} ${td.textContent}`));
    // Nothing is configured here: roles by address, the channels and the routing keys fail, each with its fix.
    expect(await marks(payroll)).toEqual(['roles ✗', 'audiences ✗', 'escalation ✗', 'runbook ✓', 'drill ✗']);
    expect(await payroll.textContent()).toContain(HOSTILE);
    expect(await payroll.textContent()).toContain('5m\u00a0/\u00a015m\u00a0/\u00a015m\u00a0/\u00a030m\u00a0/\u00a05d');
    const fixes = await payroll.locator('.fixes li').allTextContents();
    expect(fixes).toContain(
      'escalation: set the environment variable MIM_ROUTE_PAGERDUTY_PAYROLL (pagerduty.routingKeyEnv)',
    );
    expect(fixes).toContain('drill: run one: mim-bridge drill payroll');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#readiness img').count()).toBe(0);
    const library = page.locator('#readiness tr[data-service="library-catalogue"]');
    expect(await marks(library)).toEqual(['roles ✗', 'audiences ✗', 'escalation ✗', 'runbook ✗', 'drill ✗']);
    expect(await library.textContent()).toContain('add runbook: <https URL> to library-catalogue in services.yaml');
    // The connection checks ran (and found nothing configured): nothing was made offline.
    expect(await page.locator('#readiness-offline').count()).toBe(0);
    expect(await page.locator('#readiness-checked').textContent()).toContain('2 of 2 not ready');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'readiness.png'), fullPage: true });
  });

  it("Start drill posts the service to POST /admin/drills and shows a refusal through the console's status", async () => {
    const posted: unknown[] = [];
    await page.route('**/admin/drills', async (route) => {
      posted.push(route.request().postDataJSON());
      await route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'forbidden', required: 'operator' }),
      });
    });
    await page.getByRole('button', { name: 'Start drill: Library Catalogue' }).click();
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe("This needs the operator role (403 forbidden); your token's role cannot do it.");
    expect(await page.locator('#status').getAttribute('class')).toBe('status error');
    expect(posted).toEqual([{ service: 'library-catalogue' }]);
    await page.unroute('**/admin/drills');
  });

  it('Start drill opens the exercise major incident it started', async () => {
    await page.route('**/admin/drills', (route) =>
      route.fulfill({
        status: 201,
        contentType: 'application/json',
        body: JSON.stringify({ majorIncident: { id: 'MI-DRILL-1', exercise: true } }),
      }),
    );
    await page.getByRole('button', { name: `Start drill: ${HOSTILE}` }).click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#/mi/MI-DRILL-1');
    // The detail view asks for it; this service has no such major incident (the answer above was made up).
    await expect.poll(() => pageErrors.join('\n')).toContain('404');
    expect(pageErrors.splice(0)).toEqual([expect.stringContaining('status of 404')]);
    await page.unroute('**/admin/drills');
  });
});
