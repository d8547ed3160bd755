import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionJob } from '../../src/domain/action.ts';
import { actionJobId } from '../../src/queue/actions/action-job-id.ts';
import { DeadLetters } from '../../src/queue/actions/dead-letters.ts';
import { REPO_ROOT } from '../../sandbox/run-service.ts';
import { userSysId } from '../../sandbox/servicenow/promotion.ts';
import { hasEntry, majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import {
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  watchedPage,
  SHOTS,
  warnWithoutChromium,
} from '../helpers/chromium.ts';
import { e2eWorld, logPayrollP1 } from './e2e-world.ts';

/**
 * The web console (/admin/ui) in Debian's Chromium, driven by playwright-core (which never
 * downloads a browser), against the running service and the simulators. Screenshots go to
 * test-output/screenshots/; each view's screenshots at 1280×800 and 390×844 go to
 * MIM_CONSOLE_SHOTS when it is set (`npm run docs:console` sets docs/console, the ones docs/console.md shows).
 * axe-core, from the npm package, checks each view inside the page.
 */

const VIEWER_TOKEN = 'console-e2e-viewer-token';
const DOC_SHOTS = process.env.MIM_CONSOLE_SHOTS ? path.resolve(REPO_ROOT, process.env.MIM_CONSOLE_SHOTS) : undefined;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  { width: 1280, height: 800, name: '1280' },
  { width: 390, height: 844, name: '390' },
] as const;
const ON_CALL = 'Dana Okafor (on call)';

warnWithoutChromium('test/e2e/console.test.ts');

describe.skipIf(!HAS_CHROMIUM)(`the web console in Chromium (skipped without ${CHROMIUM})`, () => {
  let world: World;
  let browser: BrowserContext;
  let page: Page;
  let miId: string;
  const pageErrors: string[] = [];
  let originSysId: string;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  /** The view at both widths (scrolled to `at`, else the top), into MIM_CONSOLE_SHOTS, else test-output. */
  async function viewShots(name: string, at?: Locator) {
    for (const size of WIDTHS) {
      await page.setViewportSize({ width: size.width, height: size.height });
      if (at) await at.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      else await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(DOC_SHOTS ?? SHOTS, `${name}-${size.name}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /** axe-core run inside the page (evaluated over CDP: the page's CSP stays as it is); serious or critical fail. */
  async function axeCheck(view: string) {
    if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.evaluate(AXE);
    // A string, run in the page: the test's own types know no DOM.
    const violations = await page.evaluate<{ id: string; impact: string; help: string; nodes: string[] }[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      })))`,
    );
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      `axe-core on the ${view} view`,
    ).toEqual([]);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (DOC_SHOTS) mkdirSync(DOC_SHOTS, { recursive: true });
    world = await e2eWorld({
      env: { MIM_ADMIN_TOKENS: `viewer-vic:viewer:sha256:${createHash('sha256').update(VIEWER_TOKEN).digest('hex')}` },
      // A 3-second acknowledgement timeout: the page escalates once before it is acknowledged.
      editConfig: (dir) => {
        const file = path.join(dir, 'rules.yaml');
        const doc = parseDocument(readFileSync(file, 'utf8'));
        doc.setIn(['tiers', '1', 'ackTimeout'], '3s');
        writeFileSync(file, doc.toString());
      },
    });
    browser = await launchChromium('console', { width: 1280, height: 900 });
    page = await watchedPage(browser, pageErrors, /status of (401|403)/);
  }, 60_000);

  afterEach(() => {
    expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  }, 30_000);

  it("refuses a wrong token with the API's 401, then logs in with the right one", async () => {
    await page.goto(`${world.service.url}/admin/ui/`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('401');
    await shot('01-login-refused');
    await axeCheck('login');
    await viewShots('login');

    await page.getByLabel('Admin token').fill(world.service.adminToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Open major incidents' }).waitFor();
    await expect
      .poll(() => page.locator('#board').textContent(), { timeout: 10_000 })
      .toContain('No open major incidents');
  });

  const detail = (id: string) => miDetail(world.service, id);
  const postUpdate = async (text: string) =>
    expect((await world.service.admin('POST', `/admin/major-incidents/${miId}/updates`, { text })).status).toBe(202);

  it('shows a declared major incident on the board, live, with its escalation, acknowledgement and child', async () => {
    const origin = logPayrollP1(world);
    originSysId = origin.sys_id ?? '';
    const mi = await waitFor(
      'the payroll major incident',
      15_000,
      async () => (await majorIncidents(world.service, 'payroll')).find((m) => m.state === 'declared'),
      250,
    );
    miId = mi.id;
    logPayrollP1(world, 'Payroll slow for the finance team'); // attached as a child
    const row = page.locator(`tr[data-mi="${miId}"]`);
    await row.waitFor({ timeout: 15_000 }); // the board refreshes every 5 s, without a reload
    expect(await row.locator('[data-col=priority]').textContent()).toBe('P1');
    expect(await row.locator('[data-col=title]').textContent()).toContain('Payroll · tier 1');
    expect(await row.locator('[data-col=state]').textContent()).toMatch(/^declared for \d+ s$/);
    expect(await row.locator('[data-col=people]').textContent()).toBe(
      'Lead: mim-oncall@example.eduAcknowledged: not yet',
    );
    expect(await row.locator('[data-col=checklist]').textContent()).toMatch(/^[0-5]\/5$/);
    // The page is not acknowledged within 3 s: the escalation runs, then the on-call engineer acknowledges.
    await waitFor('the escalation', 15_000, async () => hasEntry(await detail(miId), 'escalation.ack'), 250);
    expect(await world.sandbox.pagerduty.acknowledge(miId, { as: ON_CALL })).toBeDefined();
    // Beth takes the origin record in ServiceNow, with a work note (the business rule sends on notes, not on an
    // assignment alone).
    world.sandbox.servicenow.act({ as: 'beth.anglin' }).update(originSysId, {
      assigned_to: userSysId('beth.anglin'),
      work_notes: 'Taking this one.',
    });
    await expect
      .poll(() => row.locator('[data-col=people]').textContent(), { timeout: 15_000 })
      .toBe(`Lead: mim-oncall@example.eduAcknowledged: ${ON_CALL}`);
    // The next deadline reads as what is due, never as a timer kind.
    expect(await row.locator('[data-col=deadline]').textContent()).toMatch(/^(mobilisation|update) due in \d+ min$/);
    await expect
      .poll(async () => Number((await row.locator('[data-col=checklist]').textContent())?.split('/')[0]), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(4);
    expect(await row.locator('[data-col=links]').textContent()).toMatch(
      /ServiceNow INC\d+.*Jira [A-Z]+-\d+.*PagerDuty /s,
    );
    expect(await row.locator('[data-col=links] a[href^="https://slack.com/app_redirect?channel="]').count()).toBe(3);
    await shot('02-board');
  }, 40_000);

  it('posts the third update from the detail, which shows the latest update, people, links and one attached incident', async () => {
    await postUpdate('We are investigating the payroll portal outage.');
    await postUpdate('Cause found: the 02:00 patch on payroll-app01. Rolling back.');
    // With the keyboard: the row's title link takes the focus, Enter opens the detail.
    await page.locator(`tr[data-mi="${miId}"] a.mi-title`).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Latest public update' }).waitFor();
    expect(page.url()).toContain(`#/mi/${miId}`);
    expect(await page.locator('h1 [data-priority]').textContent()).toBe('P1');
    expect(await page.locator('#latest-update').textContent()).toContain('Cause found');
    await page
      .getByLabel('Update text, as the audiences should read it')
      .fill('Rollback done; payslips are being re-run.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain('Update posted');
    // The detail refreshes by itself (no reload): the update it just posted is the latest.
    await expect
      .poll(() => page.locator('#latest-update').textContent(), { timeout: 15_000 })
      .toContain('Rollback done');
    expect(await page.locator('#facts').textContent()).toContain(`Acknowledged by${ON_CALL}`);
    expect(await page.locator('#roles').textContent()).toContain(`Acknowledged the page${ON_CALL} (PagerDuty)`);
    expect(await page.locator('#roles').textContent()).toMatch(/Assigned INC\d+beth\.anglin \(ServiceNow\)/);
    // The origin record is among the store's children, but it is not an attached incident.
    expect(await page.getByRole('heading', { name: /^Attached incidents/ }).textContent()).toBe(
      'Attached incidents (1)',
    );
    expect(await page.locator('#attached a').getAttribute('href')).toMatch(/\/incident\.do\?sys_id=[0-9a-f]{32}$/);
    expect(await page.locator('#links').textContent()).toMatch(
      /ServiceNow INC\d+.*Jira [A-Z]+-\d+.*PagerDuty (?!none)/s,
    );
    expect(await page.locator('#checklist li.done').count()).toBe(5);
    expect(await page.locator('#measures').textContent()).toContain('time to mobilise');
    await expect
      .poll(() => page.locator('#sent tr[data-channel="slack #payroll-status"]').textContent(), { timeout: 15_000 })
      .toMatch(/Payroll administrators.*✓ sent declared.*(✓ sent update.*){3}/s);
    const timeline = await page.locator('table').last().textContent();
    expect(timeline).toContain('rule:');
    await shot('03-detail-timeline');
  }, 40_000);

  /** A Slack message that failed for good, stored by the real DeadLetters class under the service's prefix. */
  async function seedDeadLetter(round: number, channel = '#service-desk'): Promise<string> {
    const redis = new Redis(world.redis.url, { maxRetriesPerRequest: 1 });
    const job: ActionJob = {
      majorIncidentId: miId,
      do: 'notify',
      effect: 'update',
      round,
      step: 0,
      target: 'slack',
      channel,
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

  it('shows a re-open honestly: marked, the old acknowledgement and resolution gone, a new acknowledgement due', async () => {
    await seedDeadLetter(99, '#payroll-incident-typo');
    world.sandbox.servicenow.act({ as: 'beth.anglin' }).update(originSysId, {
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Rolled back the patch.',
    });
    await waitFor('resolved', 15_000, async () => (await detail(miId))?.majorIncident.state === 'resolved', 250);
    world.sandbox.servicenow.act({ as: 'beth.anglin' }).update(originSysId, { state: '2' });
    await waitFor('re-opened', 15_000, async () => (await detail(miId))?.majorIncident.state === 'declared', 250);
    // Opened afresh rather than waiting for the next refresh (the detail refreshing by itself is shown above).
    await page.evaluate(`location.hash = '#/board'`);
    await page.evaluate(`location.hash = '#/mi/${miId}'`);
    await page.locator('#reopened-note').waitFor({ timeout: 15_000 });
    expect(await page.locator('h1').textContent()).toContain('re-opened');
    expect(await page.locator('#facts').textContent()).toContain('Acknowledged bynot yet');
    expect(await page.locator('#measures').textContent()).not.toContain('time to resolve');
    expect(await page.locator('#measures').textContent()).not.toContain('time to mobilise');
    expect(await page.locator('#checklist li', { hasText: 'page acknowledged' }).getAttribute('class')).toBe('');
    expect(await page.locator('#deadlines').textContent()).toContain('acknowledgement due');
    expect(await page.locator('#sent tr[data-channel="slack #payroll-incident-typo"]').textContent()).toContain(
      '✗ failed update',
    );
    await axeCheck('detail');
    await viewShots('detail');
    await viewShots('detail-sent', page.getByRole('heading', { name: 'What was sent to whom' }));
    await viewShots('detail-timeline', page.getByRole('heading', { name: /^Timeline/ }));

    await page.getByRole('link', { name: 'Board', exact: true }).click();
    const row = page.locator(`tr[data-mi="${miId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-col=title]').textContent()).toContain('re-opened');
    expect(await row.locator('[data-col=people]').textContent()).toContain('Acknowledged: not yet');
    expect(await row.locator('[data-col=update]').textContent()).toContain('Rollback done');
    expect(await row.locator('[data-col=problems]').textContent()).toBe('1 dead letter');
    await axeCheck('board');
    await viewShots('board');
    // The dark theme follows the system's preference.
    await page.emulateMedia({ colorScheme: 'dark' });
    await axeCheck('board (dark)');
    await viewShots('board-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 45_000);

  it('says when the data is stale, and clears it when the connection is back', async () => {
    await page.route('**/admin/board', (route) => route.abort('connectionrefused'));
    try {
      await page.locator('#stale').waitFor({ state: 'visible', timeout: 15_000 });
      expect(await page.locator('#stale').textContent()).toMatch(/^Connection lost .*: showing data from /);
      await viewShots('board-stale');
    } finally {
      await page.unroute('**/admin/board');
    }
    await page.locator('#stale').waitFor({ state: 'hidden', timeout: 15_000 });
    // The refused calls were meant: Chromium logs each one.
    const refused = pageErrors.filter((e) => e.includes('ERR_CONNECTION_REFUSED'));
    expect(refused.length).toBeGreaterThan(0);
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !refused.includes(e)));
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
    await axeCheck('simulator');
    await viewShots('simulator');
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

  it('lists a dead letter and replays it', async () => {
    const jobId = await seedDeadLetter(0);
    await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('BAD_REQUEST');
    await shot('05-dead-letters');
    await axeCheck('dead-letters');
    await viewShots('dead-letters');
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
    await axeCheck('config-history');
    await viewShots('config-history');

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
    await axeCheck('connections');
    await viewShots('connections');
  });

  it("shows each service's readiness with the fix for each failed check", async () => {
    await page.getByRole('link', { name: 'Readiness' }).click();
    const payroll = page.locator('#readiness [data-service="payroll"]');
    await payroll.waitFor({ timeout: 15_000 });
    // The e2e world has never run a drill, so no service is ready, and the page says how to fix that.
    expect(await payroll.textContent()).toContain('mim-bridge drill payroll');
    await axeCheck('readiness');
    await viewShots('readiness');
    // Start drill (the admin may): the real POST /admin/drills, then the exercise's own detail, marked.
    await page.getByRole('button', { name: 'Start drill: Library Catalogue' }).click();
    await page.waitForURL(/#\/mi\/MI-/);
    await expect.poll(() => page.locator('h1 .badge.exercise').textContent()).toBe('exercise');
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
    await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
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
