import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MajorIncident, MajorIncidentState, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const TOKEN = 'report-test-token';
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const get = async (path: string, token: string | null = TOKEN) => {
  const res = await fetch(`${svc.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const e = (kind: string, atMs: number, detail: Record<string, unknown> = {}): TimelineEntry => ({
  at: iso(atMs),
  kind,
  actor: { type: 'system', id: 'test' },
  detail,
});
let seq = 0;

/**
 * Stores a major incident as the orchestrator would: created (holding its service while open),
 * then, in a final state, the service released. `detected` is the origin record's time.
 */
async function seed(
  serviceId: string,
  state: MajorIncidentState,
  detected: number,
  o: { declareAfter?: number; resolveAfter?: number; timeline?: (mi: MajorIncident) => TimelineEntry[] } = {},
) {
  seq += 1;
  const mi: MajorIncident = {
    id: `MI-RPT${seq}-${serviceId}`,
    serviceId,
    state,
    title: `seeded ${seq}`,
    origin: { source: 'servicenow', recordId: `rec-${seq}` },
    configVersion: 'test',
    roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu' },
    links: {},
    detectedAt: iso(detected),
    createdAt: iso(detected + MIN),
    updatedAt: iso(detected + MIN),
    ...(o.declareAfter !== undefined ? { declaredAt: iso(detected + o.declareAfter) } : {}),
    ...(o.resolveAfter !== undefined ? { resolvedAt: iso(detected + o.resolveAfter) } : {}),
  };
  const timeline = [
    ...(mi.declaredAt ? [e('state.changed', Date.parse(mi.declaredAt), { from: 'none', to: 'declared' })] : []),
    ...(o.timeline?.(mi) ?? []),
  ];
  const store = svc.majorIncidents;
  expect(await store.createIfNoneOpen(mi, { incidentKey: `servicenow/rec-${seq}` }, timeline)).toBe(mi.id);
  if (state !== 'candidate' && state !== 'declared')
    expect(await store.transition(mi, state, 'release', [])).toBe('applied');
  return mi;
}

/** The timer's job id starts `<mi>.<kind>.<n>` (timers-plan.ts may add a suffix). */
const timerId = (id: string, kind: string, n: number) =>
  expect.stringMatching(new RegExp(`^${id}\\.${kind}\\.${n}(\\.|$)`));

type Summary = {
  serviceId: string;
  name?: string;
  tier?: number;
  count: number;
  declared: number;
  states: Record<string, number>;
  measures: Record<string, { count: number; median: number; p90: number }>;
};

describe('GET /admin/report', () => {
  const base = Date.parse('2025-06-02T08:00:00.000Z');
  beforeAll(async () => {
    // Payroll: three declared (declare after 2, 4, 10 minutes; mobilised after 3, 9 minutes), one rejected candidate.
    await seed('payroll', 'closed', base, {
      declareAfter: 2 * MIN,
      resolveAfter: 60 * MIN,
      timeline: (mi) => [
        e('page.acknowledged', Date.parse(mi.declaredAt!) + 3 * MIN),
        e('cadence.tick', base + 40 * MIN, { n: 1, overdue: false }),
        e('cadence.tick', base + 70 * MIN, { n: 2, overdue: true }),
      ],
    });
    await seed('payroll', 'resolved', base + 86_400_000, {
      declareAfter: 4 * MIN,
      resolveAfter: 120 * MIN,
      timeline: (mi) => [
        e('page.acknowledged', Date.parse(mi.declaredAt!) + 9 * MIN),
        e('action.completed', Date.parse(mi.declaredAt!) + MIN, { do: 'notify' }),
      ],
    });
    await seed('payroll', 'rejected', base + 2 * 86_400_000);
    await seed('payroll', 'declared', base + 3 * 86_400_000, { declareAfter: 10 * MIN });
    await seed('identity', 'canceled', base + 4 * 86_400_000);
    // Outside the range asked below.
    await seed('identity', 'closed', base + 40 * 86_400_000, { declareAfter: MIN, resolveAfter: 30 * MIN });
  });

  it('summarises per service: counts by state, and median and p90 of the declared ones only', async () => {
    const { status, body } = await get(`/admin/report?from=2025-06-01T00:00:00Z&to=2025-06-30T00:00:00Z`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2025-06-01T00:00:00.000Z', to: '2025-06-30T00:00:00.000Z', count: 5 });
    expect(body.truncated).toBeUndefined();
    const services = body.services as Summary[];
    expect(services.map((s) => s.serviceId)).toEqual(['identity', 'payroll']);
    expect(services[0]).toEqual({
      serviceId: 'identity',
      name: 'Single Sign-On and Identity',
      tier: 2,
      count: 1,
      declared: 0,
      states: { canceled: 1 },
      measures: {},
    });
    expect(services[1]).toMatchObject({
      serviceId: 'payroll',
      name: 'Payroll',
      tier: 1,
      count: 4,
      declared: 3,
      states: { closed: 1, resolved: 1, rejected: 1, declared: 1 },
    });
    expect(services[1]!.measures).toEqual({
      timeToDeclare: { count: 3, median: 4 * MIN, p90: 10 * MIN },
      timeToMobilise: { count: 2, median: 3 * MIN, p90: 9 * MIN },
      timeToFirstCommunication: { count: 1, median: MIN, p90: MIN },
      timeToResolve: { count: 2, median: 60 * MIN, p90: 120 * MIN },
      cadenceAdherence: { count: 1, median: 0.5, p90: 0.5 },
    });
  });

  it('takes both ends of the range as given (created time, inclusive)', async () => {
    const one = await get(`/admin/report?from=${iso(base + MIN)}&to=${iso(base + MIN)}`);
    expect(one.body.count).toBe(1);
    expect((one.body.services as Summary[])[0]!.states).toEqual({ closed: 1 });
  });

  it('defaults to the last 30 days', async () => {
    const recent = Date.now() - 2 * 86_400_000;
    await seed('library-catalogue', 'rejected', recent);
    await seed('library-catalogue', 'rejected', Date.now() - 45 * 86_400_000);
    const { status, body } = await get('/admin/report');
    expect(status).toBe(200);
    expect(Date.parse(body.to as string) - Date.parse(body.from as string)).toBe(30 * 86_400_000);
    const services = body.services as Summary[];
    expect(services.find((s) => s.serviceId === 'library-catalogue')).toMatchObject({
      count: 1,
      states: { rejected: 1 },
    });
    expect(services.find((s) => s.serviceId === 'payroll')).toBeUndefined();
  });

  it('answers 400 naming the field for a bad or reversed range', async () => {
    expect(await get('/admin/report?from=yesterday')).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', field: 'from' },
    });
    expect(await get('/admin/report?to=2025-13-01T00:00:00Z')).toMatchObject({ status: 400, body: { field: 'to' } });
    expect(await get('/admin/report?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z')).toMatchObject({
      status: 400,
      body: { field: 'from' },
    });
    expect(await get('/admin/report?from=2025-06-01T00:00:00Z&from=2025-06-02T00:00:00Z')).toMatchObject({
      status: 400,
      body: { field: 'from' },
    });
  });

  it('needs a valid token', async () => {
    expect((await get('/admin/report', null)).status).toBe(401);
    expect((await get('/admin/report', 'wrong')).status).toBe(401);
  });
});

describe('GET /admin/major-incidents/:id: the process fields', () => {
  it('adds the checklist, the measures (ms and text) and the planned timers, keeping the existing fields', async () => {
    // Declared three minutes ago on tier 2 (rules.yaml: ackTimeout 10m, cadence 1h): every timer is ahead.
    // (Payroll is held by the report's open major incident.)
    const detected = Date.now() - 10 * MIN;
    const mi = await seed('identity', 'declared', detected, {
      declareAfter: 7 * MIN,
      timeline: (m) => [
        e('roles.assigned', Date.parse(m.declaredAt!), { roles: m.roles }),
        e('action.completed', Date.parse(m.declaredAt!) + MIN, { do: 'notify', channel: 'C1' }),
      ],
    });
    const declared = Date.parse(mi.declaredAt!);
    const tier = svc.config.current().rules.tiers['2'];
    expect([tier.ackTimeout, tier.cadence]).toEqual(['10m', '1h']);

    const { status, body } = await get(`/admin/major-incidents/${mi.id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      majorIncident: { id: mi.id, state: 'declared' },
      children: expect.any(Array),
      timeline: expect.any(Array),
    });
    expect(body.checklist).toEqual([
      { id: 'declared', label: 'validated and declared', done: true, at: mi.declaredAt },
      { id: 'pageAcknowledged', label: 'page acknowledged', done: false },
      { id: 'technicalTicket', label: 'technical ticket created', done: false },
      {
        id: 'rolesAssigned',
        label: 'roles assigned (major incident manager and comms lead)',
        done: true,
        at: mi.declaredAt,
      },
      { id: 'firstCommunication', label: 'first communication sent', done: true, at: iso(declared + MIN) },
    ]);
    expect(body.measures).toEqual({ timeToDeclare: 7 * MIN, timeToFirstCommunication: MIN });
    expect(body.measuresText).toEqual({ timeToDeclare: '7m', timeToFirstCommunication: '1m' });
    expect(body.timers).toEqual([
      { id: timerId(mi.id, 'ack', 1), kind: 'ack', n: 1, at: iso(declared + 10 * MIN), label: 'acknowledgement due' },
      {
        id: timerId(mi.id, 'mobilise', 1),
        kind: 'mobilise',
        n: 1,
        at: iso(declared + 15 * MIN),
        label: 'mobilisation due',
      },
      { id: timerId(mi.id, 'cadence', 1), kind: 'cadence', n: 1, at: iso(declared + 60 * MIN), label: 'update due' },
    ]);
  });

  it("plans the PIR reminder of a resolved major incident from the tier's pirDue", async () => {
    const mi = await seed('library-catalogue', 'resolved', Date.parse('2025-09-01T10:00:00.000Z'), {
      declareAfter: MIN,
      resolveAfter: 50 * MIN,
    });
    const { body } = await get(`/admin/major-incidents/${mi.id}`);
    expect(svc.config.current().rules.tiers['3'].pirDue).toBe('20d');
    const days = 20;
    expect(body.timers).toEqual([
      {
        id: timerId(mi.id, 'pir', 1),
        kind: 'pir',
        n: 1,
        at: iso(Date.parse(mi.resolvedAt!) + days * 86_400_000),
        label: 'PIR overdue',
      },
    ]);
    expect(body.measures).toEqual({ timeToDeclare: MIN, timeToResolve: 50 * MIN });
  });
});
