import { afterEach, describe, expect, it } from 'vitest';
import { servicenowRecords } from '../../../src/connectors/servicenow/index.ts';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import { servicenowExecutor } from '../../../src/actions/servicenow.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { userSysId } from '../../../sandbox/servicenow/promotion.ts';
import { declaredMi } from '../../unit/orchestrator/process/mi-fixture.ts';
import { deps } from '../connectors/helpers.ts';

/**
 * Proposing and accepting through the ServiceNow simulator: the record names who (the integration
 * user's sys_user sys_id) and when, as ServiceNow's Propose and Promote actions do. The simulator
 * lists a Table API move without them as a violation, or refuses it under a data policy.
 */
const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
const PROPOSED_AT = new Date('2026-03-02T09:04:07.000Z');
const ACCEPTED_AT = new Date('2026-03-02T09:11:30.000Z');

let sim: ServicenowSim;
afterEach(async () => {
  await sim?.close();
});

async function world(policy: 'record' | 'reject' = 'record') {
  sim = createServicenowSim({ users: { [USER]: PASSWORD }, promotionPolicy: policy });
  await sim.listen();
  const client = createServicenowClient({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps());
  let now = PROPOSED_AT;
  const records = servicenowRecords(client, () => now);
  const origin = sim.act({ as: 'fred.luddy' }).create({ short_description: 'Payroll portal down', impact: '1' });
  const mi: MajorIncident = declaredMi({
    origin: { source: 'servicenow', recordId: origin.sys_id!, number: origin.number! },
  });
  const execute = servicenowExecutor({ records, load: async () => mi });
  const setState = (value: 'proposed' | 'accepted', at: Date) => {
    now = at;
    const job: ActionJob = {
      majorIncidentId: mi.id,
      do: 'servicenow.set_major_state',
      target: 'servicenow',
      effect: value === 'proposed' ? 'propose' : 'declare',
      step: 0,
      round: 0,
      params: { value },
    };
    return execute(job, { jobId: `job-${value}` });
  };
  return { client, records, mi, sysId: origin.sys_id!, setState };
}

describe('promotion as the UI does it', () => {
  it('proposing sets proposed_by to the integration user and proposed_on to the time, in UTC', async () => {
    const { sysId, setState } = await world();
    await setState('proposed', PROPOSED_AT);
    expect(sim.record(sysId)).toMatchObject({
      major_incident_state: 'proposed',
      proposed_by: userSysId(USER),
      proposed_on: '2026-03-02 09:04:07',
      promoted_by: '',
      promoted_on: '',
    });
    expect(sim.promotionViolations()).toEqual([]);
  });

  it('accepting sets promoted_by and promoted_on and keeps who proposed it', async () => {
    const { sysId, setState } = await world();
    await setState('proposed', PROPOSED_AT);
    await setState('accepted', ACCEPTED_AT);
    expect(sim.record(sysId)).toMatchObject({
      major_incident_state: 'accepted',
      proposed_by: userSysId(USER),
      proposed_on: '2026-03-02 09:04:07',
      promoted_by: userSysId(USER),
      promoted_on: '2026-03-02 09:11:30',
    });
    expect(sim.promotionViolations()).toEqual([]);
  });

  it('accepting an accepted record again keeps the time it was promoted', async () => {
    const { sysId, setState } = await world();
    await setState('accepted', PROPOSED_AT);
    await setState('accepted', ACCEPTED_AT);
    expect(sim.record(sysId)?.promoted_on).toBe('2026-03-02 09:04:07');
  });

  it('a record mim-bridge creates already accepted names who promoted it and when', async () => {
    const { records } = await world();
    const { sysId } = await records.createIncident(
      { short_description: '[MI-TEST-payroll] Payroll down', major_incident_state: 'accepted' },
      { incidentId: 'MI-TEST-payroll' },
    );
    expect(sim.record(sysId)).toMatchObject({ promoted_by: userSysId(USER), promoted_on: '2026-03-02 09:04:07' });
    expect(sim.promotionViolations()).toEqual([]);
  });

  it('a person proposing in the UI gets the who/when from the instance, not a violation', async () => {
    const { sysId } = await world();
    sim.act({ as: 'beth.anglin' }).update(sysId, { major_incident_state: 'proposed' });
    expect(sim.record(sysId)).toMatchObject({ proposed_by: userSysId('beth.anglin') });
    expect(sim.promotionViolations()).toEqual([]);
  });

  it('the simulator lists a Table API move without who/when as a violation (what the fix prevents)', async () => {
    const { client, sysId } = await world();
    await client.updateIncident(sysId, { major_incident_state: 'accepted' }, { incidentId: 'MI-TEST-payroll' });
    expect(sim.promotionViolations()).toEqual([
      { sysId, number: 'INC0010001', state: 'accepted', user: USER, missing: ['promoted_by', 'promoted_on'] },
    ]);
  });

  it('under a data policy the simulator refuses such a move with 403, and accepts the complete one', async () => {
    const { client, sysId, setState } = await world('reject');
    await expect(
      client.updateIncident(sysId, { major_incident_state: 'proposed' }, { incidentId: 'MI-TEST-payroll' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', retryable: false, status: 403 });
    await setState('proposed', PROPOSED_AT);
    expect(sim.record(sysId)?.major_incident_state).toBe('proposed');
  });
});
