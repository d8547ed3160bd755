import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcementExecutor } from '../../../src/actions/announcement.ts';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { createServicenowAnnouncements } from '../../../src/connectors/servicenow/outbound-announcement.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createServicenowSim, SIM_PORTALS, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { deps } from '../connectors/helpers.ts';

/**
 * The announcement executor with the shipped config and templates against the ServiceNow
 * simulator: what each state of a major incident gets, and the end date a retirement sets.
 */

const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
let sim: ServicenowSim;
let config: LoadedConfig;
const incidents = new Map<string, MajorIncident>();
const NOW = new Date('2026-12-06T11:00:00.000Z');

const base: MajorIncident = {
  id: 'MI-0000001-payroll',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll exports fail',
  origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' },
  configVersion: 'v1',
  roles: {},
  links: {},
  detectedAt: '2026-12-06T08:55:00.000Z',
  createdAt: '2026-12-06T09:00:00.000Z',
  declaredAt: '2026-12-06T09:01:00.000Z',
  updatedAt: '2026-12-06T09:01:00.000Z',
};
const job = (
  id: string,
  action: 'servicenow.announce' | 'servicenow.retire_announcement',
  template: string,
  audience = 'payroll-users',
): ActionJob => ({
  majorIncidentId: id,
  do: action,
  target: 'servicenow',
  effect: 'declare',
  step: 0,
  round: 0,
  audience,
  channel: `announcement:${audience}`,
  params: { template },
});

let execute: ReturnType<typeof announcementExecutor>;
beforeAll(async () => {
  config = await loadConfig('config');
  sim = createServicenowSim({ users: { [USER]: PASSWORD } });
  await sim.listen();
  execute = announcementExecutor({
    announcements: createServicenowAnnouncements({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps()),
    announcementOf: (id) => config.audiences.audiences.find((a) => a.id === id)?.announcement,
    load: async (id) => incidents.get(id),
    service: (id) => config.services.services.find((s) => s.id === id),
    templates: () => config.templates,
    now: () => NOW,
  });
});
afterAll(async () => {
  await sim?.close();
});

describe('the announcement executor', () => {
  it('announces a declared major incident, and retires it keepAfterResolve after the resolution', async () => {
    incidents.set(base.id, base);
    const created = await execute(job(base.id, 'servicenow.announce', 'declared'), { jobId: 'j1' });
    expect(created.detail).toMatchObject({ audience: 'payroll-users', created: true });
    const [a] = sim.announcements();
    expect(a).toMatchObject({
      name: `mim-${base.id}.payroll-users`,
      title: 'Major incident: Payroll exports fail',
      from: '2026-12-06 09:01:00',
      to: '',
      active: 'true',
    });
    expect(a?.summary).toContain('We are handling a major incident: Payroll exports fail.');
    expect(sim.announcementPortals(a!.sys_id!)).toEqual([Object.keys(SIM_PORTALS)[0]]);

    const resolved = { ...base, state: 'resolved' as const, resolvedAt: '2026-12-06T10:30:00.000Z' };
    incidents.set(base.id, resolved);
    // A late update round after the resolution writes nothing.
    expect((await execute(job(base.id, 'servicenow.announce', 'update'), { jobId: 'j2' })).detail).toMatchObject({
      skipped: 'the major incident is resolved',
    });
    const retired = await execute(job(base.id, 'servicenow.retire_announcement', 'resolved'), { jobId: 'j3' });
    // payroll-users: keepAfterResolve 2h from the resolution (10:30), not from when the job ran.
    expect(retired.detail).toMatchObject({ sysId: a!.sys_id, to: '2026-12-06T12:30:00.000Z' });
    expect(sim.announcements()).toHaveLength(1);
    expect(sim.announcements()[0]).toMatchObject({
      title: 'Resolved: Payroll exports fail',
      to: '2026-12-06 12:30:00',
    });
  });

  it('announces nothing for a candidate, an exercise, an audience without a block; retires nothing it never made', async () => {
    const candidate = { ...base, id: 'MI-0000002-payroll', state: 'candidate' as const };
    const drill = { ...base, id: 'MI-0000003-payroll', exercise: true } as MajorIncident;
    incidents.set(candidate.id, candidate);
    incidents.set(drill.id, drill);
    const before = sim.announcements().length;
    expect((await execute(job(candidate.id, 'servicenow.announce', 'declared'), { jobId: 'j4' })).detail).toMatchObject(
      { skipped: 'the major incident is candidate' },
    );
    expect((await execute(job(drill.id, 'servicenow.announce', 'declared'), { jobId: 'j5' })).detail).toMatchObject({
      skipped: 'an exercise is not announced to end users',
    });
    expect(
      (await execute(job(base.id, 'servicenow.announce', 'declared', 'resolvers'), { jobId: 'j6' })).detail,
    ).toMatchObject({ skipped: 'the audience has no announcement block' });
    expect(
      (await execute(job(candidate.id, 'servicenow.retire_announcement', 'cancelled'), { jobId: 'j7' })).detail,
    ).toMatchObject({ skipped: 'no announcement to retire' });
    expect(sim.announcements()).toHaveLength(before);
  });
});
