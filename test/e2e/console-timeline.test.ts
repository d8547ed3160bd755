import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { BrowserContext, Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionJob } from '../../src/domain/action.ts';
import type { TimelineEntry } from '../../src/domain/major-incident.ts';
import { actionJobId } from '../../src/queue/actions/action-job-id.ts';
import { DeadLetters } from '../../src/queue/actions/dead-letters.ts';
import { emailsTo, majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
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
 * The timeline and the dead letters of the console in Debian's Chromium (playwright-core, which
 * never downloads a browser), on a major incident that lived: declared, escalated because nobody
 * acknowledged within 3 s, acknowledged in PagerDuty, two updates posted and an automatic one every
 * 4 s, each to a Slack channel misspelt in audiences.yaml (a dead letter per cycle), resolved and
 * re-opened in ServiceNow. Screenshots go to test-output/screenshots/.
 */

const VIEWER_TOKEN = 'console-timeline-viewer-token';
const WRONG_CHANNEL = '#payroll-statuss';
const CHANNEL_GROUP = 'slack/SLACK_CHANNEL_NOT_FOUND';
/** Anyone who posts an update writes timeline text: markup in it must stay text. */
const HOSTILE_UPDATE = 'Rollback done <img src=x onerror="window.pwned=1">; checking the pay run.';

warnWithoutChromium('test/e2e/console-timeline.test.ts');

describe.skipIf(!HAS_CHROMIUM)(
  `the console's timeline and dead letters in Chromium (skipped without ${CHROMIUM})`,
  () => {
    let world: World;
    let browser: BrowserContext;
    let page: Page;
    let miId = '';
    const pageErrors: string[] = [];
    const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const timeline = async () => (await miDetail(world.service, miId))?.timeline ?? [];
    const entriesOf = async (kind: string) => (await timeline()).filter((e: TimelineEntry) => e.kind === kind);
    const audiences = (channel: string) =>
      readFileSync(path.join(world.config.dir, 'audiences.yaml'), 'utf8').replace("'#payroll-status'", `'${channel}'`);

    async function login(token: string) {
      await page.goto(`${world.service.url}/admin/ui/`);
      await page.getByLabel('Admin token').fill(token);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Open major incidents' }).waitFor();
    }

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      world = await e2eWorld({
        env: {
          MIM_ADMIN_TOKENS: `viewer-vic:viewer:sha256:${createHash('sha256').update(VIEWER_TOKEN).digest('hex')}`,
        },
        cadence: '4s',
        autoPost: true,
        editConfig: (dir) => {
          const file = path.join(dir, 'rules.yaml');
          const doc = parseDocument(readFileSync(file, 'utf8'));
          doc.setIn(['tiers', '1', 'ackTimeout'], '3s');
          doc.setIn(['tiers', '1', 'maxEscalations'], 1);
          writeFileSync(file, doc.toString());
        },
      });
      browser = await launchChromium('console-timeline', { width: 1280, height: 900 });
      page = await watchedPage(browser, pageErrors, /status of (401|403)/);
    }, 60_000);

    afterEach(() => {
      expect(pageErrors.splice(0), 'errors in the page').toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      await world?.close();
    }, 30_000);

    it('plays the major incident: escalation, acknowledgement, updates, a dead letter per cycle, a re-open', async () => {
      const { service, sandbox } = world;
      // An admin misspells the payroll channel: from now on every message to it fails for good.
      const typo = await service.admin('POST', '/admin/rules/apply', {
        files: { 'audiences.yaml': audiences(WRONG_CHANNEL) },
        comment: 'console-timeline e2e: a misspelt Slack channel',
      });
      expect(typo.status).toBe(200);

      await logPayrollP1(world);
      const mi = await waitFor(
        'the payroll major incident',
        15_000,
        async () => (await majorIncidents(service, 'payroll')).find((m) => m.state === 'declared'),
        250,
      );
      miId = mi.id;
      await waitFor('the escalation (3 s without acknowledgement)', 15_000, async () =>
        (await entriesOf('escalation.ack')).length ? true : undefined,
      );
      // The manager's escalation email says what it is, not "Major incident: …" again.
      const escalationMail = await waitFor('the escalation email', 15_000, async () =>
        emailsTo(sandbox, 'mim-oncall@example.edu').find((m) => m.subject?.startsWith('Escalation')),
      );
      expect(escalationMail.subject).toBe('Escalation: page not acknowledged: Payroll portal down for all staff (P1)');
      await sandbox.pagerduty.acknowledge(miId, { as: 'Dana Oncall' });
      await waitFor('the acknowledgement on the timeline', 10_000, async () =>
        (await entriesOf('page.acknowledged')).length ? true : undefined,
      );
      for (const text of ['Payroll runs are paused while we roll back.', HOSTILE_UPDATE])
        expect((await service.admin('POST', `/admin/major-incidents/${miId}/updates`, { text })).status).toBe(202);
      await waitFor('three dead letters for the misspelt channel', 30_000, async () =>
        (await entriesOf('action.dead_lettered')).filter((e) => e.detail.code === 'SLACK_CHANNEL_NOT_FOUND').length >= 3
          ? true
          : undefined,
      );

      const sysId = mi.origin.recordId;
      sandbox.servicenow.act({ as: 'fred.luddy' }).update(sysId, {
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Rolled back the patch on payroll-app01.',
      });
      await waitFor('resolved', 15_000, async () =>
        (await miDetail(service, miId))?.majorIncident.state === 'resolved' ? true : undefined,
      );
      sandbox.servicenow.act({ as: 'fred.luddy' }).update(sysId, { state: '2' });
      await waitFor('re-opened', 15_000, async () =>
        (await entriesOf('state.changed')).some((e) => e.detail.from === 'resolved' && e.detail.to === 'declared')
          ? true
          : undefined,
      );
    }, 120_000);

    it('shows the milestones apart, and folds the machine events until asked', async () => {
      await login(world.service.adminToken);
      await page.goto(`${world.service.url}/admin/ui/#/mi/${encodeURIComponent(miId)}`);
      await page.getByRole('heading', { name: /Timeline/ }).waitFor();
      const milestones = await page
        .locator('#milestones li')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-milestone')));
      for (const m of ['declared', 'escalated', 'acknowledged', 'update sent', 'resolved', 're-opened'])
        expect(milestones).toContain(m);
      expect(milestones.filter((m) => m === 'update sent').length).toBeGreaterThanOrEqual(2);
      expect(milestones.indexOf('re-opened')).toBeGreaterThan(milestones.indexOf('resolved'));
      expect(await page.locator('#milestones').textContent()).toContain('Page acknowledged by Dana Oncall');
      expect(await page.locator('#milestones').textContent()).toContain(HOSTILE_UPDATE);
      expect(await page.locator('#milestones img, #timeline img').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();

      // Folded: no machine event is on the page, one line says how many there are.
      const machine = page.locator('#timeline-machine');
      expect(await machine.textContent()).toMatch(/^\d+ machine events — show$/);
      const folded = Number((await machine.textContent())!.split(' ')[0]);
      expect(folded).toBeGreaterThan(5);
      expect(await page.locator('#timeline-rows tr[data-kind="action.completed"]').count()).toBe(0);
      expect(await page.locator('#timeline-rows').textContent()).toContain(
        'Re-opened: declared again after being resolved (the source record was re-opened)',
      );
      await shot('timeline-01-milestones-folded');

      // By keyboard: the fold opens and closes with Enter.
      await machine.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#timeline-rows tr.tl-machine').count()).toBe(folded);
      expect(await machine.getAttribute('aria-expanded')).toBe('true');
      // A vendor id the entry carries a URL for is a link (the Jira issue's remote link to the ServiceNow record).
      const links = page.locator('#timeline-rows tr[data-kind="action.completed"] .tl-links a');
      expect(await links.count()).toBeGreaterThan(0);
      expect(await links.first().getAttribute('href')).toMatch(/^https?:\/\//);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#timeline-rows tr.tl-machine').count()).toBe(0);
    }, 30_000);

    it('filters by kind, by system and by errors only, and shows the raw entry behind "details"', async () => {
      const rows = page.locator('#timeline-rows tr[data-kind]');
      await page.locator('#timeline-kind').selectOption('action.dead_lettered');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
      expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))))).toEqual(
        new Set(['action.dead_lettered']),
      );
      expect(await rows.first().textContent()).toContain('Slack: notify failed for good (SLACK_CHANNEL_NOT_FOUND)');
      expect(await rows.first().textContent()).toContain('Error');
      await page.locator('#timeline-kind').selectOption('');

      await page.locator('#timeline-system').selectOption('pagerduty');
      await expect.poll(() => rows.count()).toBeGreaterThan(0);
      expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-system'))))).toEqual(
        new Set(['pagerduty']),
      );
      await page.locator('#timeline-system').selectOption('');

      // Errors only, by keyboard (Space toggles the checkbox): each row says "Error" in words.
      const all = await rows.count();
      await page.locator('#timeline-errors').focus();
      await page.keyboard.press('Space');
      expect(await page.locator('#timeline-errors').isChecked()).toBe(true);
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
      expect(await rows.count()).toBeLessThan(all);
      for (const text of await rows.allTextContents()) expect(text).toContain('Error');
      await shot('timeline-02-errors-only');
      await page.keyboard.press('Space');
      await expect.poll(() => rows.count()).toBe(all);

      const first = rows.first();
      const raw = first.locator('details.tl-raw');
      expect(await raw.locator('pre').isVisible()).toBe(false);
      await raw.locator('summary').click();
      expect(await raw.locator('pre').isVisible()).toBe(true);
      expect(JSON.parse((await raw.locator('pre').textContent())!)).toMatchObject({
        kind: await first.getAttribute('data-kind'),
      });
      await shot('timeline-03-details');

      // Phone width: no part of the timeline reaches past the screen's edge.
      await page.setViewportSize({ width: 390, height: 844 });
      await shot('timeline-04-phone');
      const widest = await page
        .locator('#milestones, .tl-filters, .tl-fold, #timeline, #timeline *')
        .evaluateAll((els) => Math.max(...els.map((el) => el.getBoundingClientRect().right)));
      expect(widest).toBeLessThanOrEqual(390);
      await page.setViewportSize({ width: 1280, height: 900 });
    }, 30_000);

    /** A Slack message whose channel exists, failed once: replaying it succeeds. */
    async function seedReplayable(): Promise<string> {
      const redis = new Redis(world.redis.url, { maxRetriesPerRequest: 1 });
      const job: ActionJob = {
        majorIncidentId: miId,
        do: 'notify',
        effect: 'update',
        round: 900,
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
          code: 'SLACK_INVALID_BLOCKS',
          detail: 'invalid_blocks',
          attempts: 1,
          firstAttemptAt: new Date(Date.now() - 60_000).toISOString(),
          deadAt: new Date().toISOString(),
        });
      } finally {
        redis.disconnect();
      }
      return jobId;
    }

    it('a viewer sees the dead letters grouped with the likely fix, and the group buttons answer 403', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await login(VIEWER_TOKEN);
      await page.getByRole('link', { name: 'Dead letters' }).click();
      const group = page.locator(`[data-group="${CHANNEL_GROUP}"]`);
      await group.waitFor();
      const heading = (await group.locator('h2').textContent())!;
      expect(heading).toMatch(/^Slack SLACK_CHANNEL_NOT_FOUND — \d+ letters$/);
      expect(Number(/— (\d+)/.exec(heading)![1])).toBeGreaterThanOrEqual(3);
      expect(await group.locator('.dl-fix').textContent()).toBe(
        'Likely fix: channel not found: invite the bot to the channel, or fix the channel in audiences.yaml',
      );
      expect(await group.textContent()).toContain(WRONG_CHANNEL);
      expect(await group.textContent()).toContain('First seen');
      expect(await group.textContent()).toContain('Last seen');
      await shot('dead-letters-01-groups');

      await group.getByRole('button', { name: /^Replay all \d+ Slack SLACK_CHANNEL_NOT_FOUND letters$/ }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('needs the operator role (403');
      await group.getByLabel('Reason to discard').fill('channel retired');
      await group.getByRole('button', { name: /^Discard all \d+ Slack SLACK_CHANNEL_NOT_FOUND letters$/ }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('Discarding needs the operator role');
      await group.waitFor(); // still there
      await shot('dead-letters-02-viewer-refused');
    }, 30_000);

    it('an operator replays one group and discards another, each discard on the timeline', async () => {
      const { service } = world;
      // The channel is fixed first, so no new cycle fails again.
      expect(
        (
          await service.admin('POST', '/admin/rules/apply', {
            files: { 'audiences.yaml': audiences('#payroll-status') },
            comment: 'console-timeline e2e: the channel fixed',
          })
        ).status,
      ).toBe(200);
      const replayable = await seedReplayable();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await login(service.adminToken);
      await page.getByRole('link', { name: 'Dead letters' }).click();

      const blocks = page.locator('[data-group="slack/SLACK_INVALID_BLOCKS"]');
      await blocks.waitFor();
      await blocks.getByRole('button', { name: 'Replay all 1 Slack SLACK_INVALID_BLOCKS letters' }).click();
      await expect.poll(() => page.locator('#status').textContent()).toContain('Replayed 1 Slack SLACK_INVALID_BLOCKS');
      await blocks.waitFor({ state: 'detached' });
      await waitFor('the replayed message sent', 15_000, async () =>
        (await entriesOf('action.completed')).some(
          (e) => e.detail.channel === '#service-desk' && e.detail.template === 'update',
        )
          ? true
          : undefined,
      );
      expect(
        (
          await service.admin<{ deadLetters: Array<{ jobId: string }> }>('GET', '/admin/dead-letters')
        ).body.deadLetters.some((l) => l.jobId === replayable),
      ).toBe(false);

      const group = page.locator(`[data-group="${CHANNEL_GROUP}"]`);
      const count = Number(/— (\d+)/.exec((await group.locator('h2').textContent())!)![1]);
      await group.getByLabel('Reason to discard').fill('misspelt channel, fixed in audiences.yaml');
      await group.getByRole('button', { name: /^Discard all \d+ Slack SLACK_CHANNEL_NOT_FOUND letters$/ }).click();
      await expect
        .poll(() => page.locator('#status').textContent())
        .toMatch(/Discarded \d+ Slack SLACK_CHANNEL_NOT_FOUND/);
      await group.waitFor({ state: 'detached' });
      await shot('dead-letters-03-discarded');
      const discarded = await entriesOf('action.discarded');
      expect(discarded.length).toBeGreaterThanOrEqual(count);
      expect(discarded[0]!.detail).toMatchObject({ reason: 'misspelt channel, fixed in audiences.yaml' });

      // The timeline says so in words.
      await page.goto(`${world.service.url}/admin/ui/#/mi/${encodeURIComponent(miId)}`);
      await page.locator('#timeline-kind').selectOption('action.discarded');
      expect(await page.locator('#timeline-rows tr[data-kind]').first().textContent()).toContain(
        'Slack: notify (SLACK_CHANNEL_NOT_FOUND) discarded by',
      );
      await page.locator('#timeline-kind').selectOption('');
    }, 60_000);
  },
);
