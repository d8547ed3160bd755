import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, idle, writes } from './e2e-world.ts';

/**
 * (c) A tier-2 P1 is proposed (ServiceNow major_incident_state proposed, the service desk told);
 * the Major Incident Manager rejects it in ServiceNow: nothing is paged, no ticket, no announcement.
 */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('a Major Incident Manager rejects a candidate in ServiceNow', () => {
  it('moves the candidate to rejected and pages nobody', async () => {
    const { sandbox, service } = world;
    const record = sandbox.servicenow.act({ as: 'abel.tuter' }).create({
      short_description: 'Single sign-on rejects every login',
      business_service: 'Single Sign-On',
      cmdb_ci: 'idp-prod',
      caller_id: 'Abel Tuter',
      impact: '1',
      urgency: '1',
    });
    const candidate = await waitFor('a candidate for identity', 15_000, async () =>
      (await majorIncidents(service, 'identity')).find((m) => m.state === 'candidate'),
    );

    await waitFor(
      'major_incident_state proposed in ServiceNow',
      10_000,
      () => sandbox.servicenow.record(record.sys_id!)?.major_incident_state === 'proposed',
    );
    sandbox.servicenow.act({ as: 'mim.manager' }).update(record.sys_id!, { major_incident_state: 'rejected' });
    await waitFor(
      'the candidate rejected',
      15_000,
      async () => (await miDetail(service, candidate.id))?.majorIncident.state === 'rejected',
    );
    // Whatever the rejection was going to cause has happened.
    await idle(world);

    expect(sandbox.pagerduty.incidents).toHaveLength(0);
    expect(writes(sandbox.pagerduty)).toBe(0);
    expect(sandbox.jira.issues()).toHaveLength(0);
    // The propose playbook told the service desk of the candidate; nobody else heard of it.
    expect(sandbox.slack.channels.filter((c) => c.name !== 'service-desk').flatMap((c) => c.messages)).toHaveLength(0);
    expect(sandbox.teams.received).toHaveLength(0);
    expect(sandbox.email.messages.filter((m) => /major incident/i.test(m.subject ?? ''))).toHaveLength(0);
    expect(sandbox.servicenow.record(record.sys_id!)?.major_incident_state).toBe('rejected');
  }, 60_000);
});
