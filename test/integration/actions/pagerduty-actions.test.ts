import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { replayDeadLetter } from '../../../src/queue/actions/replay.ts';
import { configCopy } from '../../helpers/config-dir.ts';

const PD = 'http://pagerduty.test';
const KEY = 'R0UT1NGKEYPAYR0LL0000000000000000';
let svc: TestService;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // No re-open window: each test's P1 opens a major incident of its own.
  const config = configCopy();
  config.edit('rules.yaml', (t) => t.replace('withinMinutes: 60', 'withinMinutes: 0'));
  svc = await startTestService(
    { PAGERDUTY_EVENTS_URL: PD, MIM_CONFIG_DIR: config.dir },
    { secrets: { MIM_ROUTE_PAGERDUTY_PAYROLL: KEY } },
  );
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  await stopAndClean(svc);
  nock.enableNetConnect();
});

let n = 0;
async function declareP1(service: string): Promise<string> {
  n += 1;
  const body = JSON.stringify(
    snRecord({
      sys_id: `pd${String(n).padStart(30, '0')}`,
      sys_mod_count: '1',
      business_service: { value: 'x', display_value: service },
      short_description: `Payroll down ${n}`,
    }),
  );
  const res = await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  expect(res.status).toBe(202);
  const mi = await eventually(() => svc.majorIncidents.openFor('payroll'));
  return mi.id;
}

async function resolveOpen(): Promise<void> {
  const mi = await svc.majorIncidents.openFor('payroll');
  if (!mi) return;
  const body = JSON.stringify(
    snRecord({
      sys_id: mi.origin.recordId,
      sys_mod_count: '99',
      state: '6',
      business_service: { value: 'x', display_value: 'Payroll' },
      sys_updated_on: new Date().toISOString().slice(0, 19).replace('T', ' '),
    }),
  );
  nock(PD).post('/v2/enqueue').reply(202, { status: 'success', dedup_key: mi.id });
  await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  await eventually(async () => (await svc.majorIncidents.get(mi.id))?.state === 'resolved');
  // The resolve playbook pages PagerDuty too; let it finish so the next test's mocks are its own.
  await eventually(async () =>
    (await svc.majorIncidents.timeline(mi.id)).some(
      (e) => e.kind === 'action.completed' && e.detail.do === 'pagerduty.resolve',
    ),
  );
}

const triggerBody = (id: string) => (body: Record<string, unknown>) => {
  expect(body).toEqual({
    routing_key: KEY,
    event_action: 'trigger',
    dedup_key: id,
    client: 'mim-bridge',
    payload: {
      summary: expect.stringContaining(`[${id}] Payroll down`),
      source: 'mim-bridge',
      severity: 'critical',
      custom_details: expect.objectContaining({ majorIncident: id, service: 'payroll' }),
    },
  });
  return true;
};

describe('pagerduty actions from the declare playbook', () => {
  it('pages once with the major incident id as dedup key and records the link', async () => {
    const scope = nock(PD)
      .post('/v2/enqueue', (b) => b.event_action === 'trigger')
      .reply(202, { status: 'success', dedup_key: 'from-pagerduty' });
    const id = await declareP1('Payroll');
    expect(await eventually(async () => (await svc.majorIncidents.get(id))?.links.pagerduty)).toEqual({
      dedupKey: 'from-pagerduty',
    });
    expect(scope.isDone()).toBe(true);
    const timeline = await svc.majorIncidents.timeline(id);
    expect(timeline.find((e) => e.kind === 'action.completed')).toMatchObject({
      actor: { type: 'system', id: 'pagerduty' },
      detail: { do: 'pagerduty.trigger', dedupKey: 'from-pagerduty' },
    });
    await resolveOpen();
  });

  it('honours Retry-After on 429, then delivers exactly once', async () => {
    let id = '';
    const scope = nock(PD)
      .post('/v2/enqueue')
      .reply(429, { status: 'throttled' }, { 'Retry-After': '1' })
      .post('/v2/enqueue', (b) => triggerBody(id)(b))
      .reply(202, { status: 'success', dedup_key: 'x' });
    id = await declareP1('Payroll');
    await eventually(
      async () => (await svc.majorIncidents.timeline(id)).some((e) => e.kind === 'action.completed'),
      8_000,
    );
    expect(scope.isDone()).toBe(true);
    expect(await svc.actions.deadLetters.list()).toEqual([]);
    await resolveOpen();
  });

  it('sends a permanent error straight to the dead-letter list, and a replay delivers it', async () => {
    nock(PD)
      .post('/v2/enqueue')
      .reply(400, { status: 'invalid event', errors: ['routing_key invalid'] });
    const id = await declareP1('Payroll');
    const [letter] = await eventually(async () => {
      const letters = await svc.actions.deadLetters.list();
      return letters.length ? letters : undefined;
    });
    expect(letter).toMatchObject({
      code: 'BAD_REQUEST',
      job: { majorIncidentId: id, do: 'pagerduty.trigger', target: 'pagerduty' },
      attempts: 1,
    });
    expect((await svc.majorIncidents.timeline(id)).some((e) => e.kind === 'action.dead_lettered')).toBe(true);

    const scope = nock(PD)
      .post('/v2/enqueue', (b) => triggerBody(id)(b))
      .reply(202, { status: 'success', dedup_key: id });
    expect(await replayDeadLetter(letter!.jobId, svc.actions.deadLetters, svc.actions.queues)).toBe('replayed');
    await eventually(async () => (await svc.majorIncidents.get(id))?.links.pagerduty);
    expect(scope.isDone()).toBe(true);
    expect(await svc.actions.deadLetters.list()).toEqual([]);
  });
});

describe('pagerduty webhooks about our pages', () => {
  it('records an acknowledgement on the major incident the dedup key names', async () => {
    nock(PD).post('/v2/enqueue').reply(202, { status: 'success', dedup_key: 'x' });
    const id = await declareP1('Payroll');
    const { readFileSync } = await import('node:fs');
    const sample = JSON.parse(readFileSync('test/fixtures/pagerduty/incident.acknowledged.json', 'utf8'));
    sample.event.data.incident_key = id;
    const body = JSON.stringify(sample);
    const res = await fetch(`${svc.url}/webhooks/pagerduty`, {
      method: 'POST',
      body,
      headers: signedHeaders('pagerduty', SECRETS.pagerduty, body),
    });
    expect(res.status).toBe(202);
    const ack = await eventually(async () =>
      (await svc.majorIncidents.timeline(id)).find((e) => e.kind === 'page.acknowledged'),
    );
    expect(ack).toMatchObject({
      actor: { type: 'source', id: 'pagerduty:Ben' },
      detail: { incidentId: 'Q2CKYRLH85UNN4', status: 'acknowledged' },
    });
    expect((await svc.majorIncidents.get(id))?.links.pagerduty).toEqual({ dedupKey: id, incidentId: 'Q2CKYRLH85UNN4' });
  });
});
