import { afterEach, describe, expect, it } from 'vitest';
import { servicenowExecutor } from '../../../src/actions/servicenow.ts';
import { servicenowRecords } from '../../../src/connectors/servicenow/index.ts';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { declaredMi } from '../../unit/orchestrator/process/mi-fixture.ts';
import { deps } from '../connectors/helpers.ts';

/**
 * The accept write gives the origin record the major incident's priority, as impact × urgency:
 * the simulator derives `priority` through the base system's lookup whatever is written, so only
 * the pair can raise it. A record that already had that or a higher priority keeps its own pair.
 */
const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
const ACCEPT: ActionJob = {
  majorIncidentId: 'MI-TEST-payroll',
  do: 'servicenow.set_major_state',
  target: 'servicenow',
  effect: 'declare',
  step: 0,
  round: 0,
  params: { value: 'accepted' },
};

let sim: ServicenowSim;
afterEach(async () => {
  await sim?.close();
});

async function accept(origin: { impact: string; urgency: string }, mi: Partial<MajorIncident>) {
  sim = createServicenowSim({ users: { [USER]: PASSWORD } });
  await sim.listen();
  const client = createServicenowClient({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps());
  const record = sim.act({ as: 'fred.luddy' }).create({ short_description: 'Payroll export failed', ...origin });
  const loaded = declaredMi({
    origin: { source: 'servicenow', recordId: record.sys_id!, number: record.number! },
    ...mi,
  });
  const execute = servicenowExecutor({ records: servicenowRecords(client), load: async () => loaded });
  const result = await execute(ACCEPT, { jobId: 'job-accept' });
  return { before: record, after: sim.record(record.sys_id!), result };
}

describe('the accept write and the major incident priority', () => {
  it('raises a P3 origin to P1 with impact 1 and urgency 1', async () => {
    const { before, after, result } = await accept({ impact: '2', urgency: '2' }, { priority: 1, originPriority: 3 });
    expect(before.priority).toBe('3');
    expect(after).toMatchObject({ major_incident_state: 'accepted', impact: '1', urgency: '1', priority: '1' });
    expect(result.detail).toMatchObject({ priority: 1, impact: '1', urgency: '1' });
  });

  it('leaves a P1 origin of a P2 major incident at P1: the accept write never lowers a record', async () => {
    const { after, result } = await accept({ impact: '1', urgency: '1' }, { priority: 2, originPriority: 1 });
    expect(after).toMatchObject({ major_incident_state: 'accepted', impact: '1', urgency: '1', priority: '1' });
    expect(result.detail).not.toHaveProperty('impact');
  });

  it('writes no impact or urgency when the origin already had the priority (its own matrix cell stays)', async () => {
    const { after, result } = await accept({ impact: '1', urgency: '3' }, { priority: 3, originPriority: 3 });
    expect(after).toMatchObject({ major_incident_state: 'accepted', impact: '1', urgency: '3', priority: '3' });
    expect(result.detail).not.toHaveProperty('impact');
  });

  it('proposing writes no priority: a candidate keeps its origin record as it is', async () => {
    sim = createServicenowSim({ users: { [USER]: PASSWORD } });
    await sim.listen();
    const client = createServicenowClient({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps());
    const record = sim
      .act({ as: 'fred.luddy' })
      .create({ short_description: 'Payroll slow', impact: '2', urgency: '2' });
    const mi = declaredMi({
      state: 'candidate',
      priority: 1,
      originPriority: 3,
      origin: { source: 'servicenow', recordId: record.sys_id!, number: record.number! },
    });
    const execute = servicenowExecutor({ records: servicenowRecords(client), load: async () => mi });
    await execute({ ...ACCEPT, effect: 'propose', params: { value: 'proposed' } }, { jobId: 'job-propose' });
    expect(sim.record(record.sys_id!)).toMatchObject({ major_incident_state: 'proposed', priority: '3' });
  });
});
