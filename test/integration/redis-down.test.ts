import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, startTestService, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { freePort as closedPort } from '../helpers/net.ts';


let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }, { redisWaitMs: 100 });
});
afterAll(async () => { await svc.stop(); });

describe('Redis unavailable', () => {
  it('answers 503 with Retry-After at once instead of hanging', async () => {
    const body = JSON.stringify(snRecord());
    const started = Date.now();
    const res = await fetch(`${svc.url}/webhooks/servicenow`, { method: 'POST', body, headers: signedHeaders('servicenow', SECRETS.servicenow, body) });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'unavailable' });
    // Not a benchmark: a generous bound that only catches a request waiting for Redis to return.
    expect(elapsed).toBeLessThan(3_000);
  });

  it('reports not ready while liveness stays up', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${svc.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not_ready', checks: { redis: { ok: false } } });
  });

  it('still verifies signatures first: a bad signature is 401, not 503', async () => {
    const body = JSON.stringify(snRecord());
    const res = await fetch(`${svc.url}/webhooks/servicenow`, { method: 'POST', body, headers: signedHeaders('servicenow', 'nope', body) });
    expect(res.status).toBe(401);
  });
});
