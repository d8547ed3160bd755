import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { freePort as closedPort } from '../helpers/net.ts';
import { tcpProxy, type TcpProxy } from '../chaos/lib/tcp-proxy.ts';
import { intakeUnavailableCounts } from '../chaos/lib/service-metrics.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }, { redisWaitMs: 100 });
});
afterAll(async () => {
  await svc.stop();
});

describe('Redis unavailable', () => {
  it('answers 503 with Retry-After at once instead of hanging', async () => {
    const body = JSON.stringify(snRecord());
    const started = Date.now();
    const res = await fetch(`${svc.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'unavailable' });
    // Not a benchmark: a generous bound that only catches a request waiting for Redis to return.
    expect(elapsed).toBeLessThan(3_000);
    // The 503 is counted under its reason: the connection was never ready.
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^mim_intake_unavailable_seconds_count\{source="servicenow",reason="not_connected"\} [1-9]/m,
    );
  });

  it('reports not ready while liveness stays up', async () => {
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${svc.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'not_ready',
      checks: { redis: { ok: false }, intake: { ok: false } },
    });
  });

  it('still verifies signatures first: a bad signature is 401, not 503', async () => {
    const body = JSON.stringify(snRecord());
    const res = await fetch(`${svc.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', 'nope', body),
    });
    expect(res.status).toBe(401);
  });
});

describe('Redis failing under a connected service: the 503 says why', () => {
  let proxy: TcpProxy;
  let svc2: TestService;
  beforeAll(async () => {
    proxy = await tcpProxy(Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379));
    svc2 = await startTestService({ REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    proxy.release();
    await stopAndClean(svc2);
    await proxy.close();
  });
  const post = () => {
    const body = JSON.stringify(snRecord());
    return fetch(`${svc2.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
  };
  const reasons = () => intakeUnavailableCounts(svc2.url!);

  it('timed_out: a connection that carries nothing is given up after the 1 s deadline', async () => {
    expect((await post()).status).toBe(202);
    proxy.blackhole();
    const res = await post();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    // The proxy still takes new connections, so this is a slow Redis, not a gone one (queue/redis-gone.ts).
    expect(await reasons()).toMatchObject({ timed_out: 1, command_failed: 0, refused: 0 });
  });

  it('command_failed: the connection drops with the command in flight', async () => {
    // The frozen connection from the test above holds this request's first command…
    const pending = post();
    await new Promise((r) => setTimeout(r, 200));
    // …until it closes: ioredis fails what it had sent at once (no retry on the producer).
    proxy.release();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await reasons()).toMatchObject({ timed_out: 1, command_failed: 1 });
  });
});
