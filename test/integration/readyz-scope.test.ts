import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * A web process with no events worker anywhere: the full /readyz is 503 (nobody processes what it
 * accepts), while /readyz?scope=intake is 200 (it can still take webhooks durably), which is what a load
 * balancer in front of web processes should probe.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ROLE: 'web' });
});
afterAll(async () => {
  await stopAndClean(svc);
});

describe('/readyz?scope=intake', () => {
  it('leaves the events-worker check out of the verdict but still reports it', async () => {
    const full = await fetch(`${svc.url}/readyz`);
    expect(full.status).toBe(503);
    expect(await full.json()).toMatchObject({ status: 'not_ready', checks: { eventsWorker: { ok: false } } });

    const intake = await fetch(`${svc.url}/readyz?scope=intake`);
    expect(intake.status).toBe(200);
    expect(await intake.json()).toMatchObject({
      status: 'ready',
      scope: 'intake',
      checks: { redis: { ok: true }, intake: { ok: true }, eventsWorker: { ok: false } },
    });
  });

  it('answers 400 naming the scopes for one it does not know', async () => {
    for (const query of ['scope=worker', 'scope=intake&scope=all', 'scope=__proto__']) {
      const res = await fetch(`${svc.url}/readyz?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_scope' });
    }
  });
});
