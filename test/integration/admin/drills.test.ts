import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { readLastDrill } from '../../../src/process/drill-store.ts';
import { eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/** POST /admin/drills against the real service and Redis: roles, bad input, one open drill, and isolation. */

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'drills-viewer-token', operator: 'drills-operator-token' };
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({
    MIM_ADMIN_TOKENS: [
      `dash:viewer:sha256:${sha(TOKENS.viewer)}`,
      `ops-bot:operator:sha256:${sha(TOKENS.operator)}`,
    ].join(','),
  });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const drill = (body: unknown, token = TOKENS.operator) => call('POST', '/admin/drills', token, body);
const audits = () =>
  svc.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.audit === true && l.path === '/admin/drills');

describe('POST /admin/drills', () => {
  it('needs a token (401) and the operator role (403 naming it)', async () => {
    expect((await call('POST', '/admin/drills', undefined, { service: 'payroll' })).status).toBe(401);
    expect(await drill({ service: 'payroll' }, TOKENS.viewer)).toEqual({
      status: 403,
      body: { error: 'forbidden', required: 'operator' },
    });
    expect(await svc.majorIncidents.openExerciseFor('payroll')).toBeUndefined();
  });

  it('answers 400 naming the unknown service, or the bad field', async () => {
    expect(await drill({ service: 'payrol' })).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        field: 'service',
        issues: [{ path: 'service', message: 'no service "payrol" in the catalogue' }],
      },
    });
    expect(await drill({})).toMatchObject({ status: 400, body: { field: 'service' } });
    expect(await drill({ service: 'payroll', title: '   ' })).toMatchObject({ status: 400, body: { field: 'title' } });
    expect(await drill({ service: 'payroll', exercise: false })).toMatchObject({ status: 400 });
    expect(audits().filter((a) => a.status === 400)).toHaveLength(4);
  });

  let drillId = '';
  it('starts a declared exercise for the service (201), audited with who started it', async () => {
    const { status, body } = await drill({ service: 'payroll' });
    expect(status).toBe(201);
    const mi = body.majorIncident as MajorIncident;
    expect(mi).toMatchObject({
      serviceId: 'payroll',
      state: 'declared',
      exercise: true,
      title: 'Simulated outage of Payroll',
      declaredBy: { type: 'person', id: 'ops-bot' },
    });
    drillId = mi.id;
    expect((await svc.majorIncidents.openExerciseFor('payroll'))?.id).toBe(drillId);
    // A drill holds no real pointer: the service has no open or last (real) major incident.
    expect(await svc.majorIncidents.openFor('payroll')).toBeUndefined();
    expect(await svc.majorIncidents.lastFor('payroll')).toBeUndefined();
    expect(audits().find((a) => a.status === 201)).toMatchObject({
      what: 'drill.start',
      auth: 'ops-bot',
      required: 'operator',
      target: drillId,
      after: 'declared',
    });
  });

  it('answers 409 with the open drill while the service has one', async () => {
    const { status, body } = await drill({ service: 'payroll', title: 'Second one' });
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: 'drill_open', openId: drillId });
    expect(audits().find((a) => a.status === 409)).toMatchObject({ refused: 'SERVICE_BUSY', openId: drillId });
  });

  it('lets a real major incident open for the service during the drill, apart from it', async () => {
    const real = await call('POST', '/admin/major-incidents', TOKENS.operator, {
      serviceId: 'payroll',
      title: 'Payroll really down',
      reason: 'calls from every office',
    });
    expect(real.status).toBe(201);
    const realId = (real.body.majorIncident as MajorIncident).id;
    expect(realId).not.toBe(drillId);
    expect((await svc.majorIncidents.openFor('payroll'))?.id).toBe(realId);
    expect((await svc.majorIncidents.openExerciseFor('payroll'))?.id).toBe(drillId);
    // And a second real one is refused because of the real one, not the drill.
    const again = await call('POST', '/admin/major-incidents', TOKENS.operator, {
      serviceId: 'payroll',
      title: 'again',
      reason: 'dup',
    });
    expect(again).toMatchObject({ status: 409, body: { openId: realId } });

    // The board shows both, the drill marked as an exercise and the real one not.
    const board = await call('GET', '/admin/board', TOKENS.viewer);
    const rows = board.body.majorIncidents as { id: string; exercise?: true }[];
    expect(rows.find((r) => r.id === drillId)).toMatchObject({ exercise: true });
    expect(rows.find((r) => r.id === realId)).not.toHaveProperty('exercise');
  });

  it('on closing, writes the scorecard on the timeline, the last drill, and the report; no measure', async () => {
    for (const verb of ['resolve', 'close'])
      expect(
        (await call('POST', `/admin/major-incidents/${drillId}/${verb}`, TOKENS.operator, { reason: 'done' })).status,
      ).toBe(200);
    const card = await eventually(async () => {
      const timeline: TimelineEntry[] = await svc.majorIncidents.timeline(drillId);
      return timeline.find((e) => e.kind === 'drill.scorecard');
    });
    expect(card.detail).toMatchObject({
      majorIncidentId: drillId,
      serviceId: 'payroll',
      targets: { ackMs: 5 * 60_000, mobiliseMs: 15 * 60_000, cadenceMs: expect.any(Number) },
      acknowledge: { met: false, text: expect.stringMatching(/^never/) },
      met: false,
    });
    expect((card.detail.checklistMissed as { id: string }[]).map((i) => i.id)).toContain('pageAcknowledged');
    const mi = await svc.majorIncidents.get(drillId);
    expect(await readLastDrill(svc.redis, svc.keys.prefix, 'payroll')).toEqual({
      miId: drillId,
      closedAt: mi?.closedAt,
      met: false,
    });
    // The service is free for the next drill.
    expect(await svc.majorIncidents.openExerciseFor('payroll')).toBeUndefined();
    // Measures: none recorded for the drill.
    expect(await svc.redis.hgetall(svc.keys.miMeasures(drillId))).toEqual({});
    expect((await svc.majorIncidents.timeline(drillId)).some((e) => e.kind === 'measure.recorded')).toBe(false);

    const report = await call('GET', '/admin/report', TOKENS.viewer);
    expect(report.status).toBe(200);
    expect(report.body.count).toBe(1);
    expect(report.body.services).toEqual([expect.objectContaining({ serviceId: 'payroll', count: 1, declared: 1 })]);
    expect(report.body.drills).toEqual([
      expect.objectContaining({ majorIncidentId: drillId, state: 'closed', scorecard: card.detail }),
    ]);
  });

  it("refuses to declare a real major incident from a closed drill's own record (409 record_linked)", async () => {
    const sysId = 'c'.repeat(32);
    // What the ServiceNow executor records for the record a drill created.
    await svc.majorIncidents.linkRecord(`servicenow/${sysId}`, drillId);
    const res = await call('POST', '/admin/major-incidents', TOKENS.operator, {
      serviceId: 'identity',
      title: 'from the drill record',
      reason: 'test',
      origin: { source: 'servicenow', recordId: sysId },
    });
    expect(res).toMatchObject({ status: 409, body: { error: 'record_linked', openId: drillId } });
    expect(res.body.reason).toBe(`servicenow/${sysId} already belongs to exercise ${drillId}`);
  });
});
