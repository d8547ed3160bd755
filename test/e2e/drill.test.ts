import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../sandbox/run-service.ts';
import { hasEntry, majorIncidents, miDetail, slackTexts } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import type { MajorIncident } from '../../src/domain/major-incident.ts';
import { e2eWorld, idle, logPayrollP1 } from './e2e-world.ts';

/**
 * A drill end to end through the simulators: started with `mim-bridge drill`, it runs the real
 * declare playbook, and everything it sends is marked; a real outage during it gets its own major
 * incident; closing it writes the scorecard, and no measure counts it.
 */

const run = promisify(execFile);
const PREFIX = '[EXERCISE]';
const DRILL_KEY_ENV = 'MIM_ROUTE_PAGERDUTY_PAYROLL_DRILLS';
const CHANNELS = ['#payroll-status', '#service-desk', '#major-incident-bridge'];

let world: World;
beforeAll(async () => {
  world = await e2eWorld({
    // Payroll pages its drills on a routing key of their own.
    editConfig: (dir) => {
      const file = path.join(dir, 'services.yaml');
      const text = readFileSync(file, 'utf8');
      const payrollKey = '      routingKeyEnv: MIM_ROUTE_PAGERDUTY_PAYROLL\n';
      expect(text).toContain(payrollKey);
      writeFileSync(file, text.replace(payrollKey, `${payrollKey}      drillRoutingKeyEnv: ${DRILL_KEY_ENV}\n`));
    },
  });
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

/** Every text block of a Teams card as Teams shows it (its Markdown escapes undone). */
const cardText = (card: { body?: unknown }) =>
  ((card.body ?? []) as { text?: string }[]).map((b) => (b.text ?? '').replace(/\\(.)/g, '$1')).join('\n');

describe('a drill through the simulators', () => {
  let drill: MajorIncident;

  it('starts from the CLI and marks every message, page and record it makes', async () => {
    const { sandbox, service } = world;
    const cli = await run(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/mim-bridge.js'), 'drill', 'payroll', '--url', service.url],
      { env: { ...process.env, MIM_ADMIN_TOKEN: service.adminToken, MIM_NODE_AUTO: '0' } },
    );
    const id = /drill (MI-\S+) started for payroll/.exec(cli.stdout)?.[1];
    expect(id, cli.stdout + cli.stderr).toBeDefined();
    await waitFor('the drill declared everywhere', 30_000, async () => {
      const d = await miDetail(service, id!);
      return d?.majorIncident.links.jira && d.majorIncident.links.servicenow && d.majorIncident.links.pagerduty;
    });
    await idle(world);
    drill = (await miDetail(service, id!))!.majorIncident;
    expect(drill).toMatchObject({ exercise: true, state: 'declared', title: 'Simulated outage of Payroll' });

    // ServiceNow: the record it created, marked in its short description and filterable by category.
    const snRecords = sandbox.servicenow.records();
    expect(snRecords).toHaveLength(1);
    expect(snRecords[0]).toMatchObject({
      sys_id: drill.links.servicenow?.sysId,
      category: 'exercise',
      short_description: `[${id}] ${PREFIX} Simulated outage of Payroll`,
    });
    expect(snRecords[0]!.description).toContain(PREFIX);
    // Jira: the technical issue, labelled and marked.
    const issues = sandbox.jira.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]!.labels).toEqual(expect.arrayContaining([`mim-${id}`, 'mim-exercise']));
    expect(issues[0]!.summary).toContain(PREFIX);
    // PagerDuty: the page went to the drill key, marked.
    const drillKey = sandbox.routingKeys[DRILL_KEY_ENV];
    expect(sandbox.pagerduty.incidents).toHaveLength(1);
    expect(sandbox.pagerduty.incidents[0]).toMatchObject({
      dedupKey: id,
      routingKey: drillKey,
      serviceName: 'Payroll drills',
    });
    expect(sandbox.pagerduty.incidents[0]!.title).toContain(PREFIX);
    // Slack, Teams, email: every message of every audience.
    const texts = CHANNELS.flatMap((c) => slackTexts(sandbox, c));
    expect(texts.length).toBeGreaterThanOrEqual(CHANNELS.length);
    for (const t of texts) expect(t).toContain(PREFIX);
    const cards = sandbox.teams.cards('MIM_ROUTE_TEAMS_FINANCE');
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(cardText(c.card)).toContain(`Major incident: ${PREFIX} Simulated outage of Payroll`);
    const mails = sandbox.email.messages;
    expect(mails.flatMap((m) => m.envelope.to)).toEqual(
      expect.arrayContaining(['payroll-admins@example.edu', 'finance-leadership@example.edu']),
    );
    for (const m of mails) expect(m.subject).toContain(PREFIX);
  }, 90_000);

  it('gives a real outage during the drill a major incident of its own, unmarked', async () => {
    const { sandbox, service } = world;
    const record = logPayrollP1(world);
    const real = await waitFor('the real major incident', 30_000, async () =>
      (await majorIncidents(service, 'payroll')).find((m) => !m.exercise),
    );
    expect(real.id).not.toBe(drill.id);
    expect(real.origin).toMatchObject({ source: 'servicenow', recordId: record.sys_id });
    await waitFor('the real page', 30_000, () => sandbox.pagerduty.incident(real.id));
    await idle(world);
    expect(sandbox.pagerduty.incident(real.id)).toMatchObject({
      routingKey: sandbox.routingKeys.MIM_ROUTE_PAGERDUTY_PAYROLL,
    });
    expect(sandbox.pagerduty.incident(real.id)!.title).not.toContain(PREFIX);
    const realIssue = sandbox.jira.issues().find((i) => i.labels.includes(`mim-${real.id}`));
    expect(realIssue?.labels).not.toContain('mim-exercise');
    expect(realIssue?.summary).not.toContain(PREFIX);
    expect(sandbox.servicenow.record(record.sys_id!)?.category).not.toBe('exercise');
    // The drill took no child, and the real one holds only its own origin.
    expect((await miDetail(service, drill.id))?.children).toHaveLength(1);
    expect((await miDetail(service, real.id))?.children.map((c) => c.recordId)).toEqual([record.sys_id!]);
  }, 90_000);

  it('on closing, writes the scorecard; the drill counts in no measure and only in the report’s drills', async () => {
    const { sandbox, service } = world;
    // The on-call acknowledges the drill page in PagerDuty: the drill's acknowledgement, on its timeline.
    await sandbox.pagerduty.acknowledge(drill.id, { as: 'Dana Oncall' });
    await waitFor('the drill acknowledged', 15_000, async () =>
      hasEntry(await miDetail(service, drill.id), 'page.acknowledged'),
    );
    for (const verb of ['resolve', 'close']) {
      const res = await service.admin('POST', `/admin/major-incidents/${drill.id}/${verb}`, { reason: 'drill over' });
      expect(res.status).toBe(200);
    }
    const entry = await waitFor('the scorecard', 30_000, async () =>
      hasEntry(await miDetail(service, drill.id), 'drill.scorecard'),
    );
    expect(entry.detail).toMatchObject({
      majorIncidentId: drill.id,
      acknowledge: { met: true },
      firstCommunication: { met: true },
    });
    await idle(world);
    // The resolve and close messages were marked too, and the PIR issue is labelled.
    for (const t of CHANNELS.flatMap((c) => slackTexts(sandbox, c)).filter((x) => !x.includes('Payroll portal')))
      expect(t).toContain(PREFIX);
    const pir = sandbox.jira.issues().find((i) => i.labels.includes(`mim-${drill.id}-pir`));
    expect(pir?.labels).toContain('mim-exercise');

    const timeline = (await miDetail(service, drill.id))!.timeline;
    expect(timeline.filter((e) => e.kind === 'measure.recorded')).toEqual([]);
    const real = (await majorIncidents(service, 'payroll')).find((m) => !m.exercise)!;
    // The real one's measures are recorded in this same world: the drill's absence is not an accident.
    await waitFor('a real measure', 15_000, async () => hasEntry(await miDetail(service, real.id), 'measure.recorded'));

    const report = await service.admin<Record<string, unknown>>('GET', '/admin/report');
    expect(report.body.count).toBe(1);
    expect(report.body.services).toEqual([expect.objectContaining({ serviceId: 'payroll', count: 1 })]);
    expect(report.body.drills).toEqual([
      expect.objectContaining({ majorIncidentId: drill.id, state: 'closed', scorecard: entry.detail }),
    ]);
  }, 90_000);
});
