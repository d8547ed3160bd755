import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CADENCE } from '../../sandbox/demo/run-demo.ts';
import { jiraIssueOf, payrollStory, STORM_SIZE } from '../../sandbox/demo/payroll-story.ts';
import { majorIncidents, miDetail, slackTexts } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, play } from './e2e-world.ts';

/** (a) The demo's story, run as a test: a ServiceNow storm to closure, against the real service. */

let world: World;
beforeAll(async () => {
  world = await e2eWorld({ cadence: DEMO_CADENCE, autoPost: true });
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('a ServiceNow-originated major incident, from storm to closure', () => {
  it('plays the whole story; closing the ServiceNow record then closes the major incident ' +
    'and opens the PIR', async () => {
    const ctx = await play(world, payrollStory);
    const { sandbox, service } = world;
    const id = ctx.state.mi!.id;

    // One major incident for the storm and the late caller; one of everything it made.
    expect(await majorIncidents(service, 'payroll')).toHaveLength(1);
    expect(sandbox.jira.issues().filter((i) => i.labels.includes(`mim-${id}`))).toHaveLength(1);
    expect(sandbox.pagerduty.incidents.filter((i) => i.dedupKey === id)).toHaveLength(1);
    expect(sandbox.slack.messages('#payroll-status')).toHaveLength(1);
    expect(ctx.state.records).toHaveLength(STORM_SIZE + 1);

    // A storm of P3s (impact 2 × urgency 2) declares a P1 (rules.yaml tiers.<n>.priority): the
    // accept write raised the origin record through the simulator's priority lookup, the Jira
    // issue is Highest and the declaration's messages say P1.
    const origin = sandbox.servicenow.record(ctx.state.originSysId ?? '');
    expect(origin).toMatchObject({ major_incident_state: 'accepted', impact: '1', urgency: '1', priority: '1' });
    const child = ctx.state.records.find((r) => r !== ctx.state.originSysId) ?? '';
    expect(sandbox.servicenow.record(child)?.priority).toBe('3');
    expect(jiraIssueOf(sandbox, id)?.priority).toBe('Highest');
    expect(slackTexts(sandbox, '#payroll-status').some((t) => t.includes('(P1)'))).toBe(true);
    expect(slackTexts(sandbox, '#payroll-status').some((t) => /\bP3\b/.test(t))).toBe(false);
    expect((await miDetail(service, id))?.majorIncident.priority).toBe(1);

    // Closed in ServiceNow, where the service desk works: state 7 on the origin record (still
    // major_incident_state = accepted) closes the major incident and opens the PIR.
    sandbox.servicenow.act({ as: 'beth.anglin' }).update(ctx.state.originSysId ?? '', {
      state: '7',
      close_code: 'Solution provided',
      close_notes: 'Stable for an hour.',
    });
    const closed = await waitFor('the major incident closed', 15_000, async () => {
      const d = await miDetail(service, id);
      return d?.majorIncident.state === 'closed' && d.majorIncident.links.pir ? d : undefined;
    });
    const pir = sandbox.jira.issues().find((i) => i.labels.includes(`mim-${id}-pir`));
    expect(pir?.key).toBe(closed.majorIncident.links.pir?.key);
    expect(jiraIssueOf(sandbox, id)?.key).toBe(closed.majorIncident.links.jira?.key);
    await waitFor('the closed message', 10_000, () =>
      slackTexts(sandbox, '#service-desk').some((t) => t.startsWith('Closed:') || t.includes('Closed:')),
    );
  }, 90_000);
});
