import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionJob } from '../../src/domain/action.ts';
import { actionJobId } from '../../src/queue/actions/action-job-id.ts';
import { DeadLetters } from '../../src/queue/actions/dead-letters.ts';
import { REPO_ROOT } from '../../sandbox/run-service.ts';
import { majorIncidents } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, logPayrollP1 } from './e2e-world.ts';

/**
 * The web console (/admin/ui) in Debian's Chromium, driven by playwright-core (which never
 * downloads a browser), against the running service and the simulators. Screenshots go to
 * test-output/screenshots/.
 */

const CHROMIUM = '/usr/bin/chromium';
const VIEWER_TOKEN = 'console-e2e-viewer-token';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!HAS_CHROMIUM)
  console.warn(
    `test/e2e/console.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`,
  );

describe.skipIf(!HAS_CHROMIUM)(`the web console in Chromium (skipped without ${CHROMIUM})`, () => {
  let world: World;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let miId: string;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(path.join(tmpdir(), 'mim-console-chromium-'));
    const { chromium } = await import('playwright-core');
    world = await e2eWorld({
      env: { MIM_ADMIN_TOKENS: `viewer-vic:viewer:sha256:${createHash('sha256').update(VIEWER_TOKEN).digest('hex')}` },
    });
    // A fresh, empty profile (--user-data-dir) each run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
    // A script error (a module that fails to parse) would otherwise show only as timeouts.
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of (401|403)/.test(msg.text())) pageErrors.push(msg.text());
    });
  }, 60_000);

  afterEach(() => {
    expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  it("refuses a wrong token with the API's 401, then logs in with the right one", async () => {
    await page.goto(`${world.service.url}/admin/ui/`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('401');
    await shot('01-login-refused');

    await page.getByLabel('Admin token').fill(world.service.adminToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Open major incidents' }).waitFor();
    await expect
      .poll(() => page.locator('#board').textContent(), { timeout: 10_000 })
      .toContain('No open major incidents');
  });

  it('shows a declared major incident on the board, with its checklist progress and next timer', async () => {
    await logPayrollP1(world);
    const mi = await waitFor(
      'the payroll major incident',
      15_000,
      async () => (await majorIncidents(world.service, 'payroll')).find((m) => m.state === 'declared'),
      250,
    );
    miId = mi.id;
    const row = page.locator(`tr[data-mi="${miId}"]`);
    await row.waitFor({ timeout: 15_000 }); // the board refreshes every 5 s
    expect(await row.textContent()).toContain('declared');
    expect(await row.locator('[data-col=priority]').textContent()).toBe('P1');
    expect(await row.locator('[data-col=checklist]').textContent()).toMatch(/^[0-5]\/5$/);
    // The first actions run meanwhile; let a refresh show some of them done.
    await expect
      .poll(async () => Number((await row.locator('[data-col=checklist]').textContent())?.split('/')[0]), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(2);
    await shot('02-board');
  }, 40_000);

  it('opens the timeline, with links into ServiceNow, Jira and PagerDuty', async () => {
    await page.locator(`tr[data-mi="${miId}"] a`).first().click();
    await page.getByRole('heading', { name: /Timeline/ }).waitFor();
    expect(page.url()).toContain(`#/mi/${miId}`);
    expect(await page.locator('h1 [data-priority]').textContent()).toBe('P1');
    const timeline = await page.locator('table').last().textContent();
    expect(timeline).toContain('rule:');
    // The Jira issue and the page are made by actions: the detail shows them once they ran.
    await expect
      .poll(
        async () => {
          await page.reload(); // the token stays in the tab's sessionStorage
          await page.getByRole('heading', { name: /Timeline/ }).waitFor();
          return page.locator('#links').textContent();
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toMatch(/ServiceNow record: INC\d+.*Jira issue: [A-Z]+-\d+.*PagerDuty incident: (?!none)/s);
    await shot('03-detail-timeline');
  }, 30_000);

  it('runs the simulator on an event and shows which rule matched and why', async () => {
    await page.getByRole('link', { name: 'Rule simulator' }).click();
    await page.getByRole('button', { name: 'Load an example event' }).click();
    await page.getByRole('button', { name: 'Simulate' }).click();
    // The first dry run starts the rules sandbox's worker thread, which loads the rules code: seconds on a
    // busy machine.
    await expect
      .poll(() => page.locator('#sim-decision').textContent(), { timeout: 15_000 })
      .toContain('declare (rule p1-on-tier-1)');
    const rule = page.locator('[data-rule="p1-on-tier-1"]');
    expect(await rule.textContent()).toContain('✓ matched');
    expect(await rule.textContent()).toContain('incident.priority == 1');
    // Payroll's major incident is open: the orchestrator would attach the event to it.
    expect(await page.locator('#sim-would-do').textContent()).toContain(`attach to ${miId}`);
    await shot('04-simulator');
  });

  it('replays a recent event from the event log against a draft rules.yaml', async () => {
    await page.getByRole('link', { name: 'Rule simulator' }).click();
    await expect.poll(() => page.locator('#sim-recent option').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    await page.locator('#sim-recent').selectOption({ index: 1 });
    await expect.poll(() => page.locator('#sim-input').inputValue()).toContain('"deliveryId"');
    // The draft puts a catch-all rule first: every mapped incident is declared by it.
    const rules = readFileSync('config/rules.yaml', 'utf8').replace(
      'rules:\n',
      'rules:\n  - id: draft-catch-all\n    description: Draft rule.\n    when: "true"\n    then: declare\n',
    );
    await page.locator('#sim-draft').fill(rules);
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect
      .poll(() => page.locator('#sim-decision').textContent(), { timeout: 15_000 })
      .toContain('declare (rule draft-catch-all)');
    expect(await page.locator('#sim-draft-used').textContent()).toContain('draft');
    await shot('04b-simulator-draft');
  });

  /** A Slack message that failed for good, stored by the real DeadLetters class under the service's prefix. */
  async function seedDeadLetter(round: number): Promise<string> {
    const redis = new Redis(world.redis.url, { maxRetriesPerRequest: 1 });
    const job: ActionJob = {
      majorIncidentId: miId,
      do: 'notify',
      effect: 'update',
      round,
      step: 0,
      target: 'slack',
      channel: '#service-desk',
      params: { template: 'update' },
    };
    const jobId = actionJobId(job);
    try {
      await new DeadLetters(redis, world.service.prefix).add({
        jobId,
        queue: actionQueueName('slack'),
        job,
        code: 'BAD_REQUEST',
        detail: 'Slack answered 400 invalid_blocks',
        attempts: 1,
        firstAttemptAt: new Date(Date.now() - 60_000).toISOString(),
        deadAt: new Date().toISOString(),
      });
    } finally {
      redis.disconnect();
    }
    return jobId;
  }

  it('lists a dead letter and replays it', async () => {
    const jobId = await seedDeadLetter(0);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('BAD_REQUEST');
    await shot('05-dead-letters');
    await row.getByRole('button', { name: `Replay ${jobId}` }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain(`Replayed ${jobId}`);
    await row.waitFor({ state: 'detached' });
    expect(
      (await world.service.admin<{ deadLetters: unknown[] }>('GET', '/admin/dead-letters')).body.deadLetters.filter(
        (l) => (l as { jobId: string }).jobId === jobId,
      ),
    ).toHaveLength(0);
    await shot('06-dead-letter-replayed');
  });

  it('shows the config history with a diff, and rolls back to the previous version', async () => {
    // A second version, applied through the API as an admin would (a comment added to rules.yaml).
    const { service } = world;
    const before = (await service.admin<{ running: string }>('GET', '/admin/rules/versions')).body.running;
    const files = await service.admin<{ files: Record<string, string> }>('GET', `/admin/rules/versions/${before}`);
    let base = files.status === 200 ? files.body.files : undefined;
    base ??= { 'rules.yaml': readFileSync(path.join(world.config.dir, 'rules.yaml'), 'utf8') };
    const applied = await service.admin<{ ok: boolean; version: string }>('POST', '/admin/rules/apply', {
      files: { 'rules.yaml': `${base['rules.yaml']}\n# changed by the console e2e test\n` },
      comment: 'console e2e: a comment in rules.yaml',
    });
    expect(applied.status).toBe(200);
    const after = applied.body.version;
    expect(after).not.toBe(before);

    await page.getByRole('link', { name: 'Config history' }).click();
    const old = page.locator(`tr[data-version="${before}"]`).first();
    await old.waitFor();
    expect(await page.locator(`tr[data-version="${after}"]`).first().textContent()).toContain('active');
    await old.getByRole('button', { name: `Diff ${before} against the active version` }).click();
    await expect
      .poll(() => page.locator('#version-panel').textContent())
      .toContain('-# changed by the console e2e test');
    await shot('07-config-history-diff');

    await old.getByRole('button', { name: `Roll back to ${before}` }).click();
    await page.getByLabel('Why (optional)').fill('undo the e2e change');
    await page.getByRole('button', { name: 'Confirm rollback' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain(`Rolled back: ${before} is active`);
    await expect.poll(() => page.locator('#running-version').textContent()).toBe(before);
    await shot('08-config-rolled-back');
  });

  it("shows each system's connection check, the simulators' among them", async () => {
    await page.getByRole('link', { name: 'Connections' }).click();
    const row = (vendor: string) => page.locator(`#connections tr[data-vendor="${vendor}"]`);
    await row('servicenow').waitFor({ timeout: 15_000 });
    for (const vendor of ['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email'])
      expect(await row(vendor).count()).toBe(1);
    // The simulators answer the harmless calls as the vendors do (test/integration/sandbox/doctor-against-sandbox).
    for (const vendor of ['servicenow', 'jira', 'slack', 'email'])
      expect(await row(vendor).locator('td').nth(1).textContent()).toBe('ok');
    await shot('09-connections');
  });

  it('logs out: the session cookie is refused afterwards', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/admin/rules')).status)).toBe(401);
  });

  it('a viewer may look but not replay or roll back: the 403 reads "needs the operator role"', async () => {
    await page.getByLabel('Admin token').fill(VIEWER_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Open major incidents' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('viewer-vic · viewer');

    const jobId = await seedDeadLetter(1);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('button', { name: `Replay ${jobId}` }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('needs the operator role');
    await page.locator(`tr[data-job="${jobId}"]`).waitFor(); // still there
    await shot('09-viewer-replay-refused');

    await page.getByRole('link', { name: 'Config history' }).click();
    await page.locator('#rollback-role').waitFor();
    expect(await page.locator('#rollback-role').textContent()).toContain('needs the admin role');
    // The history renders after its note: wait for its rows.
    await expect
      .poll(() => page.getByRole('button', { name: /^Roll back to / }).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const rollbacks = await page.getByRole('button', { name: /^Roll back to / }).all();
    for (const button of rollbacks) expect(await button.isDisabled()).toBe(true);
  });
});
