import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

let seq = 0;
/** A signed ServiceNow delivery; each call is a distinct record unless `sys_id` is given. */
async function sn(fields: Record<string, unknown>, event = 'update', changed: string[] = []) {
  seq += 1;
  const record = snRecord({
    sys_id: `rec${String(seq).padStart(29, '0')}`,
    number: `INC${String(seq).padStart(7, '0')}`,
    sys_mod_count: String(seq),
    ...fields,
  });
  const body = JSON.stringify(wrapped(record, event, changed));
  const res = await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  expect(res.status).toBe(202);
  return record;
}

const service = (name: string) => ({ business_service: { value: 'x', display_value: name }, cmdb_ci: '' });
const now = (minutesAgo = 0) => new Date(Date.now() - minutesAgo * 60_000).toISOString().replace('T', ' ').slice(0, 19);
const drained = () =>
  eventually(async () => {
    const c = await svc.queue.getJobCounts('waiting', 'active', 'delayed');
    return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
  });
const miFor = (serviceId: string) => svc.majorIncidents.openFor(serviceId);

describe('rules and lifecycle through the events worker', () => {
  it('proposes an outage-sounding P2 and honours the Major Incident Manager rejecting it in ServiceNow', async () => {
    const rec = await sn(
      {
        ...service('Payroll'),
        priority: '2',
        impact: '2',
        urgency: '1',
        short_description: 'Payroll portal unavailable',
        sys_updated_on: now(5),
      },
      'insert',
    );
    const mi = await eventually(() => miFor('payroll'));
    expect(mi).toMatchObject({ state: 'candidate' });
    expect((await svc.majorIncidents.timeline(mi.id)).find((e) => e.kind === 'rules.evaluated')?.actor.id).toBe(
      'p2-outage-or-vip',
    );
    await sn(
      {
        ...service('Payroll'),
        sys_id: rec.sys_id,
        sys_mod_count: '800',
        priority: '2',
        impact: '2',
        urgency: '1',
        major_incident_state: 'rejected',
        sys_updated_on: now(4),
      },
      'update',
      ['major_incident_state'],
    );
    await eventually(async () => (await svc.majorIncidents.get(mi.id))?.state === 'rejected');
    expect(await miFor('payroll')).toBeUndefined();
    // Further updates of the rejected record match the rule again but do not re-propose it.
    await sn({
      ...service('Payroll'),
      sys_id: rec.sys_id,
      sys_mod_count: '801',
      priority: '2',
      impact: '2',
      urgency: '1',
      short_description: 'Payroll portal unavailable still',
      major_incident_state: 'rejected',
      sys_updated_on: now(3),
    });
    await drained();
    expect((await svc.majorIncidents.get(mi.id))?.state).toBe('rejected');
  });

  it('does not apply the P2 rule to a tier-3 service', async () => {
    await sn(
      {
        ...service('Library Catalogue'),
        priority: '2',
        short_description: 'Catalogue search is down',
        sys_updated_on: now(),
      },
      'insert',
    );
    await drained();
    expect(await miFor('library-catalogue')).toBeUndefined();
  });

  it('declares a P1 on a tier-1 service, and records why', async () => {
    const rec = await sn({ ...service('Payroll'), priority: '1', sys_updated_on: now() }, 'insert');
    const mi = await eventually(() => miFor('payroll'));
    expect(mi).toMatchObject({
      state: 'declared',
      serviceId: 'payroll',
      origin: { source: 'servicenow', recordId: rec.sys_id },
    });
    const timeline = await svc.majorIncidents.timeline(mi.id);
    const why = timeline.find((e) => e.kind === 'rules.evaluated');
    expect(why).toMatchObject({
      actor: { type: 'rule', id: 'p1-on-tier-1' },
      configVersion: svc.config.current().version,
    });
    expect(JSON.stringify(why?.detail)).toContain('"expr":"incident.priority == 1","value":true');
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['state.changed', 'roles.assigned', 'actions.planned']),
    );
    const plan = timeline.find((e) => e.kind === 'actions.planned');
    expect((plan!.detail.actions as Array<{ do: string }>).map((a) => a.do)).toContain('pagerduty.trigger');
  });

  it('turns a storm of five incidents into one major incident with the rest as children', async () => {
    for (let i = 0; i < 7; i++)
      await sn(
        {
          ...service('Single Sign-On'),
          priority: '3',
          impact: '2',
          urgency: '2',
          short_description: `SSO slow ${i}`,
          sys_updated_on: now(),
        },
        'insert',
      );
    await drained();
    const mi = await miFor('identity');
    expect(mi).toMatchObject({ state: 'declared' });
    const timeline = await svc.majorIncidents.timeline(mi!.id);
    expect(timeline.find((e) => e.kind === 'rules.evaluated')?.actor.id).toBe('storm');
    // The fifth declares; the four it counted join as children, and so do the sixth and seventh.
    expect(await svc.majorIncidents.children(mi!.id)).toHaveLength(7);
    const joined = timeline.filter(
      (e) => e.kind === 'child.attached' && String(e.detail.reason ?? '').startsWith('counted in storm_10m'),
    );
    expect(joined).toHaveLength(4);
    expect((await svc.majorIncidents.list()).filter((m) => m.serviceId === 'identity')).toHaveLength(1);
  });

  it('resolves with its origin record and re-opens for a matching incident within the window', async () => {
    const payroll = (await miFor('payroll'))!;
    const origin = await svc.snapshots.get(`servicenow/${payroll.origin.recordId}`);
    const resolved = await sn(
      {
        ...service('Payroll'),
        sys_id: payroll.origin.recordId,
        sys_mod_count: '900',
        state: '6',
        sys_updated_on: now(),
      },
      'update',
      ['state'],
    );
    expect(resolved.sys_id).toBe(origin?.recordId);
    await eventually(async () => (await svc.majorIncidents.get(payroll.id))?.state === 'resolved');
    expect(await miFor('payroll')).toBeUndefined();

    const candidate = await sn(
      { ...service('Payroll'), priority: '2', short_description: 'Payroll portal unavailable', sys_updated_on: now() },
      'insert',
    );
    // Within the re-open window a new matching incident re-opens the resolved one instead.
    const reopened = await eventually(async () =>
      (await svc.majorIncidents.get(payroll.id))?.state === 'declared' ? true : undefined,
    );
    expect(reopened).toBe(true);
    expect((await svc.majorIncidents.children(payroll.id)).map((c) => c.recordId)).toContain(candidate.sys_id);
  });

  it('never declares an incident on a service outside the catalogue, and logs it as unmapped', async () => {
    await sn({ ...service('Car Park Barriers'), priority: '1', sys_updated_on: now() }, 'insert');
    await drained();
    expect((await svc.majorIncidents.list()).some((m) => m.title.includes('Car Park'))).toBe(false);
    expect(svc.logs.join('')).toContain('never declared automatically');
  });
});
