import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraIssueOf } from '../../sandbox/demo/payroll-story.ts';
import { emailsTo, majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, idle, logPayrollP1 } from './e2e-world.ts';

/**
 * (g) mim-bridge is SIGKILLed while the Jira create-issue call is in flight (Jira holds it 2 s,
 * then creates the issue for a caller that is gone), and started again on the same Redis prefix.
 * The worker lock and stalled check are 2 s (run-service.ts), so the job runs again within seconds.
 * Afterwards there is one of everything: Jira issue, PagerDuty incident, Slack status message per
 * channel, email per audience list (by Message-ID), ServiceNow records.
 */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('the service SIGKILLed mid-action and restarted', () => {
  it('leaves no duplicate anywhere', async () => {
    const { sandbox, service } = world;
    sandbox.jira.inject({ kind: 'latency', count: 1, delayMs: 2_000, path: /^\/rest\/api\/3\/issue$/ });
    const record = logPayrollP1(world);

    await waitFor('the Jira create call in flight', 15_000, () =>
      sandbox.jira.requests.some((r) => r.method === 'POST' && r.path === '/rest/api/3/issue'),
    );
    await service.kill('SIGKILL');
    expect(service.child().signalCode).toBe('SIGKILL');
    // The vendor finishes its part with nobody listening.
    await waitFor('the issue created after the kill', 5_000, () => sandbox.jira.issues().length === 1);
    await service.restart();
    // Restarted on port 0, so on a new port: the simulators' webhooks follow it.
    expect(sandbox.bridgeUrl()).toBe(service.url);

    const [mi] = await majorIncidents(service, 'payroll');
    expect(mi).toBeDefined();
    const id = mi!.id;
    const done = await waitFor('the Jira key on the major incident after the restart', 30_000, async () => {
      const d = await miDetail(service, id);
      return d?.majorIncident.links.jira && d.majorIncident.links.pagerduty ? d : undefined;
    });
    await waitFor(
      'every declaration message',
      20_000,
      () =>
        sandbox.slack.messages('#major-incident-bridge').length > 0 &&
        emailsTo(sandbox, 'it-leadership@example.edu').length > 0,
    );
    // Every action the restart re-ran or resumed has finished: a duplicate would be there by now.
    await idle(world);

    expect(await majorIncidents(service, 'payroll')).toHaveLength(1);
    expect(sandbox.jira.issues()).toHaveLength(1);
    expect(jiraIssueOf(sandbox, id)?.key).toBe(done.majorIncident.links.jira?.key);
    expect(sandbox.jira.issues()[0]!.remoteLinks).toHaveLength(1);
    expect(sandbox.jira.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')).toHaveLength(1);
    expect(sandbox.pagerduty.incidents).toHaveLength(1);
    expect(sandbox.pagerduty.incidents[0]!.dedupKey).toBe(id);
    for (const channel of ['#payroll-status', '#service-desk', '#major-incident-bridge'])
      expect(sandbox.slack.messages(channel), channel).toHaveLength(1);
    for (const to of ['payroll-admins@example.edu', 'finance-leadership@example.edu', 'it-leadership@example.edu']) {
      const ids = new Set(emailsTo(sandbox, to).map((m) => m.messageId));
      expect(ids.size, to).toBe(1);
    }
    expect(sandbox.servicenow.records()).toHaveLength(1);
    // The webhooks sent while it was down (Jira's issue_created among them) reached it on its new port.
    const undelivered = (d: { ok: boolean; id: string; attempts: unknown }) => (d.ok ? [] : [[d.id, d.attempts]]);
    expect(sandbox.jira.deliveries.flatMap(undelivered)).toEqual([]);
    expect(sandbox.servicenow.deliveries.flatMap(undelivered)).toEqual([]);
    expect(sandbox.servicenow.record(record.sys_id!)?.major_incident_state).toBe('accepted');
    const timeline = (await miDetail(service, id))!.timeline;
    const created = timeline.filter((e) => e.kind === 'action.completed' && e.detail.do === 'jira.create_issue');
    expect(created).toHaveLength(1);
    // The re-run found the issue the killed run had asked for, by its label, instead of creating one.
    expect(created[0]!.detail).toMatchObject({ key: done.majorIncident.links.jira?.key, created: false });
  }, 90_000);
});
