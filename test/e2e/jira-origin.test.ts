import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorIncidents, miDetail, slackTexts } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld } from './e2e-world.ts';

/** (b) A major incident that starts in Jira: the ServiceNow record is made once, and Done in Jira closes everything. */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('a Jira-originated major incident', () => {
  it('is declared from a Highest issue in PAY, gets its ServiceNow record, page and messages, ' +
    'and resolves from Jira', async () => {
    const { sandbox, service } = world;
    const person = sandbox.jira.act({ as: 'Priya Raman' });
    const issue = person.createIssue({
      project: 'PAY',
      summary: 'Payroll API returns 500 for every request',
      priority: 'Highest',
    });

    const d = await waitFor('declared, with a ServiceNow record and a page', 20_000, async () => {
      const [mi] = await majorIncidents(service, 'payroll');
      const detail = mi ? await miDetail(service, mi.id) : undefined;
      return detail?.majorIncident.state === 'declared' &&
        detail.majorIncident.links.servicenow &&
        sandbox.pagerduty.incident(mi!.id)
        ? detail
        : undefined;
    });
    const id = d.majorIncident.id;
    expect(d.majorIncident.origin).toMatchObject({ source: 'jira', number: issue.key });
    const sn = sandbox.servicenow.record(d.majorIncident.links.servicenow!.sysId);
    expect(sn).toMatchObject({ correlation_id: expect.stringContaining(id), major_incident_state: 'accepted' });
    await waitFor('the declaration in Slack', 10_000, () =>
      slackTexts(sandbox, '#payroll-status').some((t) => t.includes('major incident')),
    );

    person.transition(issue.key, 'In Progress');
    person.transition(issue.key, 'Done');
    await waitFor('resolved everywhere', 20_000, async () => {
      const m = (await miDetail(service, id))?.majorIncident;
      return (
        m?.state === 'resolved' &&
        sandbox.pagerduty.incident(id)?.status === 'resolved' &&
        sandbox.servicenow.record(sn!.sys_id!)?.state === '6' &&
        slackTexts(sandbox, '#payroll-status').some((t) => t.startsWith('Resolved:'))
      );
    });
    expect(sandbox.servicenow.records()).toHaveLength(1);
    expect(sandbox.jira.issues()).toHaveLength(1);
    expect(await majorIncidents(service, 'payroll')).toHaveLength(1);
  }, 90_000);
});
