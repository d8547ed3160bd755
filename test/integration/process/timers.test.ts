import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import {
  SECRETS,
  eventually,
  startTestService,
  stopAndClean,
  uniquePrefix,
  type TestService,
} from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';

/**
 * The process timers against real Redis with short durations (tier 1 of a config copy):
 * escalation exactly once, cancelled by an acknowledgement, neither lost nor doubled across a
 * restart, cadence ticks that stop at resolution, autoPost, and the PIR reminder.
 */
const PD = 'http://pagerduty.test';
const SN = 'http://servicenow.test';
const KEYS = {
  MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000',
  MIM_ROUTE_PAGERDUTY_MIM: 'R0UT1NGKEYM1M000000000000000000000',
};
// biome-ignore lint/suspicious/noExplicitAny: request bodies as nock hands them over
const pages: Array<Record<string, any>> = [];
const started: TestService[] = [];

nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1/);
beforeEach(() => {
  nock(PD)
    .persist()
    .post('/v2/enqueue', (b) => {
      if (!b.event_action) return false;
      pages.push(b);
      return true;
    })
    .reply(202, { status: 'success', dedup_key: 'x' });
});
afterAll(() => {
  nock.enableNetConnect();
});
// Each test's interceptors go with it: a persisted ServiceNow mock must not answer the next test's calls.
afterEach(async () => {
  for (const s of started.splice(0)) await stopAndClean(s);
  nock.cleanAll();
});

/** A config whose tier 1 runs on seconds. */
function fastTier(tier: string) {
  const config = configCopy();
  config.edit('rules.yaml', (t) => t.replace(/'1': \{[^}]*\}/, `'1': ${tier}`));
  return config.dir;
}

async function service(tier: string, env: Record<string, string> = {}) {
  const svc = await startTestService(
    { PAGERDUTY_EVENTS_URL: PD, MIM_CONFIG_DIR: fastTier(tier), ...env },
    { secrets: KEYS, timersSweepMs: 500 },
  );
  started.push(svc);
  return svc;
}

async function declare(svc: TestService, sysId: string) {
  const body = JSON.stringify(snRecord({ sys_id: sysId, sys_mod_count: '1' }));
  expect(
    (
      await fetch(`${svc.url}/webhooks/servicenow`, {
        method: 'POST',
        body,
        headers: signedHeaders('servicenow', SECRETS.servicenow, body),
      })
    ).status,
  ).toBe(202);
  return eventually(() => svc.majorIncidents.openFor('payroll'));
}

const entries = async (svc: TestService, id: string, kind: string) =>
  (await svc.majorIncidents.timeline(id)).filter((e: TimelineEntry) => e.kind === kind);
const timerJobs = async (svc: TestService, kind: string) =>
  (await svc.timers!.queue.getJobs(['delayed', 'waiting', 'active'])).filter((j) => j.name === kind);

describe('process timers', () => {
  it(
    'escalates an unacknowledged page exactly once when maxEscalations is 1: the escalation key is paged and the ' +
      'manager told',
    async () => {
      const svc = await service('{ ackTimeout: 1s, cadence: 1h, pirDueDays: 5, autoPost: false, maxEscalations: 1 }');
      const mi = await declare(svc, 'a0000000000000000000000000000001');
      const [escalation] = await eventually(async () => {
        const e = await entries(svc, mi.id, 'escalation.ack');
        return e.length ? e : undefined;
      }, 8_000);
      expect(escalation!.detail).toMatchObject({ n: 1, notified: 'mim-oncall@example.edu' });
      const page = await eventually(async () => pages.find((p) => p.dedup_key === `${mi.id}-esc1`), 8_000);
      expect(page).toMatchObject({
        routing_key: KEYS.MIM_ROUTE_PAGERDUTY_MIM,
        event_action: 'trigger',
        payload: { severity: 'critical' },
      });
      // Nothing more is planned: no second ack timer, whatever the sweep recomputes.
      await svc.timers!.syncAll();
      expect(await timerJobs(svc, 'ack')).toHaveLength(0);
      expect(await entries(svc, mi.id, 'escalation.ack')).toHaveLength(1);
      expect(pages.filter((p) => p.dedup_key === `${mi.id}-esc1`)).toHaveLength(1);
    },
  );

  it('cancels the ack timer when PagerDuty says the page was acknowledged', async () => {
    const svc = await service('{ ackTimeout: 4s, cadence: 1h, pirDueDays: 5, autoPost: false, maxEscalations: 2 }');
    const mi = await declare(svc, 'a0000000000000000000000000000002');
    await eventually(async () => (await timerJobs(svc, 'ack')).length === 1);
    const ack = JSON.parse(readFileSync('test/fixtures/pagerduty/incident.acknowledged.json', 'utf8'));
    ack.event.data.incident_key = mi.id;
    const body = JSON.stringify(ack);
    expect(
      (
        await fetch(`${svc.url}/webhooks/pagerduty`, {
          method: 'POST',
          body,
          headers: signedHeaders('pagerduty', SECRETS.pagerduty, body),
        })
      ).status,
    ).toBe(202);
    await eventually(async () => (await timerJobs(svc, 'ack')).length === 0, 8_000);
    expect(await entries(svc, mi.id, 'escalation.ack')).toHaveLength(0);
    // The measures show on the timeline as their milestones happen, each once.
    const measured = await eventually(async () => {
      const m = (await entries(svc, mi.id, 'measure.recorded')).map((e) => e.detail.measure);
      return m.includes('timeToMobilise') ? m : undefined;
    }, 8_000);
    await svc.timers!.syncAll();
    expect((await entries(svc, mi.id, 'measure.recorded')).map((e) => e.detail.measure).sort()).toEqual(
      [...measured].sort(),
    );
    expect(measured).toEqual(expect.arrayContaining(['timeToDeclare', 'timeToMobilise']));
  });

  it('neither loses nor doubles a timer across a restart, even one whose job was lost while down', async () => {
    const prefix = uniquePrefix();
    const tier = '{ ackTimeout: 3s, cadence: 1h, pirDueDays: 5, autoPost: false, maxEscalations: 1 }';
    const first = await service(tier, { MIM_REDIS_PREFIX: prefix });
    const mi = await declare(first, 'a0000000000000000000000000000003');
    const [job] = await eventually(async () => {
      const j = await timerJobs(first, 'ack');
      return j.length ? j : undefined;
    });
    await first.stop();
    started.splice(started.indexOf(first), 1);
    // Lost while nothing ran (say, a restore from an older snapshot): the restart must bring it back.
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue('timers', { connection: redis, prefix });
    await (await queue.getJob(job!.id!))!.remove();
    await queue.close();
    redis.disconnect();
    const second = await service(tier, { MIM_REDIS_PREFIX: prefix });
    await eventually(async () => (await timerJobs(second, 'ack')).length === 1, 8_000);
    const third = await service(tier, { MIM_REDIS_PREFIX: prefix });
    await third.timers!.syncAll();
    expect(await timerJobs(third, 'ack')).toHaveLength(1);
    await eventually(async () => (await entries(second, mi.id, 'escalation.ack')).length === 1, 8_000);
    await second.timers!.syncAll();
    await third.timers!.syncAll();
    expect(await entries(second, mi.id, 'escalation.ack')).toHaveLength(1);
  });

  it('ticks the comms cadence, flags an interval with no update as overdue, and stops at resolution', async () => {
    nock(SN)
      .persist()
      .patch(/\/api\/now\/table\/incident\/.*/)
      .reply(200, { result: { sys_id: 'a0000000000000000000000000000004', state: '6' } })
      .get(/\/api\/now\/table\/incident\/.*/)
      .reply(200, { result: { sys_id: 'a0000000000000000000000000000004', state: '6' } });
    const svc = await service('{ ackTimeout: 1h, cadence: 1s, pirDueDays: 5, autoPost: false, maxEscalations: 1 }', {
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'pw',
    });
    const mi = await declare(svc, 'a0000000000000000000000000000004');
    const ticks = await eventually(async () => {
      const t = await entries(svc, mi.id, 'cadence.tick');
      return t.length >= 2 ? t : undefined;
    }, 8_000);
    // No audience was told anything in the interval (no chat or email configured): overdue, and the comms
    // lead reminded.
    expect(ticks[1]!.detail).toMatchObject({ n: 2, overdue: true, autoPost: false, reminded: 'it-comms@example.edu' });
    const body = JSON.stringify(
      snRecord({
        sys_id: 'a0000000000000000000000000000004',
        sys_mod_count: '2',
        state: '6',
        sys_updated_on: '2026-11-20 10:00:00',
      }),
    );
    await fetch(`${svc.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
    await eventually(async () => (await svc.majorIncidents.get(mi.id))?.state === 'resolved', 8_000);
    await eventually(async () => (await timerJobs(svc, 'cadence')).length === 0, 8_000);
    const after = (await entries(svc, mi.id, 'cadence.tick')).length;
    await svc.timers!.syncAll();
    expect(await timerJobs(svc, 'cadence')).toHaveLength(0);
    expect((await entries(svc, mi.id, 'cadence.tick')).length).toBe(after);
  });

  it('with autoPost, posts the update playbook at each tick (here: the ServiceNow work note)', async () => {
    const notes: string[] = [];
    nock(SN)
      .persist()
      .patch('/api/now/table/incident/a0000000000000000000000000000005', (b) => {
        if (typeof b.work_notes === 'string') notes.push(b.work_notes);
        return true;
      })
      .reply(200, { result: { sys_id: 'a0000000000000000000000000000005', state: '2' } });
    const svc = await service('{ ackTimeout: 1h, cadence: 1s, pirDueDays: 5, autoPost: true, maxEscalations: 1 }', {
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'pw',
    });
    const mi = await declare(svc, 'a0000000000000000000000000000005');
    await eventually(async () => (await entries(svc, mi.id, 'cadence.tick')).length >= 1, 8_000);
    // The declared note, then the update playbook's note from templates/technical/update.liquid.
    await eventually(
      async () => notes.some((n) => n.startsWith(`[${mi.id}] P1 Payroll portal down for all staff — declared`)),
      8_000,
    );
    expect((await entries(svc, mi.id, 'cadence.tick'))[0]!.detail).toMatchObject({ n: 1, autoPost: true });
  });

  it('reminds the PIR owner once when the review falls due', async () => {
    const svc = await service('{ ackTimeout: 1h, cadence: 1h, pirDueDays: 5, autoPost: false, maxEscalations: 1 }');
    const mi = await declare(svc, 'a0000000000000000000000000000006');
    const body = JSON.stringify(
      snRecord({
        sys_id: 'a0000000000000000000000000000006',
        sys_mod_count: '2',
        state: '6',
        sys_updated_on: '2026-11-20 10:00:00',
      }),
    );
    await fetch(`${svc.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
    await eventually(async () => (await svc.majorIncidents.get(mi.id))?.state === 'resolved', 8_000);
    // Resolution sets the PIR due date: resolution + the tier's pirDueDays.
    const [scheduled] = await eventually(async () => {
      const e = await entries(svc, mi.id, 'pir.scheduled');
      return e.length ? e : undefined;
    }, 8_000);
    const resolvedAt = Date.parse((await svc.majorIncidents.get(mi.id))!.resolvedAt!);
    expect(scheduled!.detail).toEqual({
      dueAt: new Date(resolvedAt + 5 * 24 * 3600_000).toISOString(),
      owner: 'head-of-payroll@example.edu',
    });
    // The PIR issue exists and was due a minute ago.
    await svc.majorIncidents.setLink(mi.id, 'pir', {
      key: 'PAY-99',
      dueAt: new Date(Date.now() - 60_000).toISOString(),
      owner: 'head-of-payroll@example.edu',
    });
    svc.timers!.changed(mi.id);
    const [reminder] = await eventually(async () => {
      const e = await entries(svc, mi.id, 'pir.reminded');
      return e.length ? e : undefined;
    }, 8_000);
    expect(reminder!.detail).toMatchObject({ owner: 'head-of-payroll@example.edu', pir: 'PAY-99' });
    // The entry is written inside the timer's job, which is active until it returns: let it finish first.
    await eventually(async () => (await timerJobs(svc, 'pir')).length === 0, 8_000);
    await svc.timers!.syncAll();
    expect(await timerJobs(svc, 'pir')).toHaveLength(0);
    expect(await entries(svc, mi.id, 'pir.reminded')).toHaveLength(1);
  });
});

describe('the comms lead posting an update (autoPost off)', () => {
  it('sends it with the update playbook, makes it the latest update, and the interval is not overdue', async () => {
    const notes: string[] = [];
    nock(SN)
      .persist()
      .patch('/api/now/table/incident/a0000000000000000000000000000007', (b) => {
        if (typeof b.work_notes === 'string') notes.push(b.work_notes);
        return true;
      })
      .reply(200, { result: { sys_id: 'a0000000000000000000000000000007', state: '2' } });
    const svc = await service('{ ackTimeout: 1h, cadence: 3s, pirDueDays: 5, autoPost: false, maxEscalations: 1 }', {
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'pw',
      MIM_ADMIN_TOKEN: 'comms-lead-admin-token',
    });
    const mi = await declare(svc, 'a0000000000000000000000000000007');
    const post = (body: unknown) =>
      fetch(`${svc.url}/admin/major-incidents/${mi.id}/updates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer comms-lead-admin-token' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: '' })).status).toBe(400);
    const res = await post({
      text: 'Payroll runs again from 14:00; payslips follow tonight.',
      actor: 'it-comms@example.edu',
    });
    expect(res.status).toBe(202);
    await eventually(
      async () => notes.some((n) => n.includes('Payroll runs again from 14:00; payslips follow tonight.')),
      8_000,
    );
    expect((await svc.majorIncidents.synced(mi.id)).latestUpdate).toMatchObject({
      text: 'Payroll runs again from 14:00; payslips follow tonight.',
      author: 'it-comms@example.edu',
      source: 'admin',
    });
    const [tick] = await eventually(async () => {
      const t = await entries(svc, mi.id, 'cadence.tick');
      return t.length ? t : undefined;
    }, 8_000);
    expect(tick!.detail).toMatchObject({ n: 1, overdue: false });
    expect(
      (
        await fetch(`${svc.url}/admin/major-incidents/MI-NOPE/updates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer comms-lead-admin-token' },
          body: JSON.stringify({ text: 'x' }),
        })
      ).status,
    ).toBe(404);
  });
});
