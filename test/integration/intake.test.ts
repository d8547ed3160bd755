import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

const post = (source: 'servicenow' | 'jira' | 'pagerduty', body: string, headers?: Record<string, string>) =>
  fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: headers ?? signedHeaders(source, SECRETS[source], body),
  });

describe('POST /webhooks/servicenow', () => {
  it('answers 202 with the job id once the event is in Redis', async () => {
    const body = JSON.stringify(wrapped(snRecord({ sys_id: 'a1'.repeat(16), sys_mod_count: '1' })));
    const res = await post('servicenow', body);
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { accepted: boolean; id: string };
    expect(answer.accepted).toBe(true);
    const job = await svc.queue.getJob(answer.id);
    expect(job?.data).toMatchObject({
      source: 'servicenow',
      recordId: 'a1'.repeat(16),
      number: 'INC0010042',
      priority: 1,
      serviceName: 'Payroll',
    });
  });

  it('answers 200 duplicate for a redelivery and keeps one job', async () => {
    const body = JSON.stringify(snRecord({ sys_id: 'b2'.repeat(16), sys_mod_count: '7' }));
    const first = await post('servicenow', body);
    const second = await post('servicenow', body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const a = (await first.json()) as { id: string };
    expect(await second.json()).toEqual({ duplicate: true, id: a.id });
    const jobs = await svc.queue.getJobs(['waiting', 'active', 'completed', 'delayed']);
    expect(jobs.filter((j) => j.id === a.id)).toHaveLength(1);
  });

  it('answers 400 naming the missing field', async () => {
    const { sys_id: _omitted, ...record } = snRecord();
    const res = await post('servicenow', JSON.stringify(record));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; field: string };
    expect(answer.error).toBe('invalid_payload');
    expect(answer.field).toMatch(/sys_id/);
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const res = await post('servicenow', '{"sys_id": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_json' });
  });

  it('answers 401 without detail for a bad signature', async () => {
    const body = JSON.stringify(snRecord());
    const res = await post('servicenow', body, signedHeaders('servicenow', 'wrong-secret', body));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });

  it('answers 401 when the signature header is missing', async () => {
    const res = await post('servicenow', JSON.stringify(snRecord()), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
  });

  it('answers 413 above 1 MiB', async () => {
    const body = JSON.stringify(snRecord({ description: 'x'.repeat(1024 * 1024) }));
    const res = await post('servicenow', body);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers 415 when the body is not declared JSON', async () => {
    const body = JSON.stringify(snRecord());
    const res = await post('servicenow', body, {
      ...signedHeaders('servicenow', SECRETS.servicenow, body),
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
  });

  it('keeps the newest snapshot when updates arrive out of order', async () => {
    const sysId = 'c3'.repeat(16);
    const newer = JSON.stringify(
      snRecord({
        sys_id: sysId,
        sys_mod_count: '5',
        sys_updated_on: '2026-11-20 10:05:00',
        short_description: 'newest title',
        state: '6',
      }),
    );
    const older = JSON.stringify(
      snRecord({
        sys_id: sysId,
        sys_mod_count: '4',
        sys_updated_on: '2026-11-20 10:00:00',
        short_description: 'older title',
        state: '2',
      }),
    );
    expect((await post('servicenow', newer)).status).toBe(202);
    await eventually(async () => (await svc.snapshots.get(`servicenow/${sysId}`))?.title === 'newest title');
    expect((await post('servicenow', older)).status).toBe(202);
    const marker = JSON.stringify(snRecord({ sys_id: 'd4'.repeat(16), sys_mod_count: '1' }));
    await post('servicenow', marker);
    // The marker is consumed after the older update (one queue, FIFO), so by then the older one was seen.
    await eventually(async () => (await svc.snapshots.get(`servicenow/${'d4'.repeat(16)}`)) !== undefined);
    await eventually(async () => (await svc.queue.getJobCounts('waiting', 'active')).waiting === 0);
    const snap = await svc.snapshots.get(`servicenow/${sysId}`);
    expect(snap).toMatchObject({ title: 'newest title', state: 'resolved', updatedAt: '2026-11-20T10:05:00Z' });
  });
});

describe('POST /webhooks/jira and /webhooks/pagerduty', () => {
  it('accepts a signed Jira delivery and answers its retry duplicate', async () => {
    const body = readFileSync('test/fixtures/jira/issue_updated.resolved.json', 'utf8');
    const headers = {
      ...signedHeaders('jira', SECRETS.jira, body),
      'x-atlassian-webhook-identifier': 'jira-delivery-123',
    };
    expect((await post('jira', body, headers)).status).toBe(202);
    expect((await post('jira', body, headers)).status).toBe(200);
  });

  it('accepts the real signed PagerDuty delivery', async () => {
    const body = readFileSync('test/fixtures/pagerduty/incident.acknowledged.json');
    const res = await fetch(`${svc.url}/webhooks/pagerduty`, {
      method: 'POST',
      body,
      headers: signedHeaders('pagerduty', SECRETS.pagerduty, body),
    });
    expect(res.status).toBe(202);
  });

  it('answers 404 for an unknown source', async () => {
    const res = await fetch(`${svc.url}/webhooks/zendesk`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(404);
  });

  it('matches the webhook path exactly in letter case, like every other route', async () => {
    const body = JSON.stringify(snRecord());
    for (const path of ['/WEBHOOKS/servicenow', '/Webhooks/servicenow', '/webhooks/ServiceNow']) {
      const res = await fetch(`${svc.url}${path}`, {
        method: 'POST',
        body,
        headers: signedHeaders('servicenow', SECRETS.servicenow, body),
      });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('health and metrics', () => {
  it('/healthz is live and /readyz turns ready once the worker consumes a canary', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const ready = await eventually(async () => {
      const res = await fetch(`${svc.url}/readyz`);
      return res.status === 200 ? res.json() : undefined;
    });
    expect(ready).toMatchObject({
      status: 'ready',
      checks: { redis: { ok: true }, redisPolicy: { ok: true }, eventsWorker: { ok: true }, intake: { ok: true } },
    });
  });

  it('/metrics counts deliveries by source and outcome and reports queue depth', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/mim_webhook_deliveries_total\{source="servicenow",outcome="accepted"\} \d+/);
    expect(text).toMatch(/mim_webhook_deliveries_total\{source="servicenow",outcome="unauthorized"\} \d+/);
    expect(text).toMatch(/mim_intake_duration_seconds_bucket/);
    expect(text).toMatch(/mim_queue_jobs\{queue="events",state="waiting"\} \d+/);
  });

  it('never logs signatures or secrets', () => {
    const all = svc.logs.join('');
    expect(all).toContain('"deliveryId"');
    expect(all).not.toContain(SECRETS.servicenow);
    expect(all).not.toMatch(/sha256=[0-9a-zA-Z+/]{20,}/);
  });
});
