import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedis, type PrivateRedis } from '../chaos/lib/private-redis.ts';
import { rewriteChildren } from '../chaos/lib/rewrite-children.ts';
import { intakeUnavailableCounts } from '../chaos/lib/service-metrics.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, eventually, startTestService, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';

/**
 * Redis SIGKILLed while its AOF rewrite child runs: the child holds the service's sockets open, so
 * nothing closes and nothing answers (docs/reliability.md §1). The service must tell that from a
 * slow Redis by the refused fresh connection, not wait for its deadline or for the child to exit.
 * The deadline here (10 s) is far beyond the child's life (~2 s), so without the watch the 503
 * would come from the child's exit (`command_failed`), and the reason would say so.
 */

let redis: PrivateRedis;
let svc: TestService;
let down = false;
beforeAll(async () => {
  redis = await privateRedis('always');
  svc = await startTestService({ REDIS_URL: redis.url, MIM_INTAKE_REDIS_TIMEOUT_MS: '10000' });
}, 20_000);
afterAll(async () => {
  if (down) await redis.start(); // a failed test left it down; the service's stop needs it
  await svc?.stop();
  await redis?.close();
});

let modCount = 3;
/** A new version of the record each time, so none is answered as a duplicate. */
const post = () => {
  const body = JSON.stringify(snRecord({ sys_mod_count: String(++modCount) }));
  return fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
};
const reasons = () => intakeUnavailableCounts(svc.url!);

describe('Redis persistence at start-up', () => {
  it('is not warned about with the AOF and appendfsync always', () => {
    expect(svc.logs.filter((l) => l.includes('redis_persistence'))).toEqual([]);
  });
  it('is warned about, once, naming the policy, under everysec', async () => {
    const everysec = await privateRedis('everysec');
    try {
      const other = await startTestService({ REDIS_URL: everysec.url });
      await other.stop();
      const warnings = other.logs.filter((l) => l.includes('"check":"redis_persistence"'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({
        level: 40,
        msg: expect.stringMatching(/appendfsync everysec: .*Set appendfsync always/),
      });
    } finally {
      await everysec.close();
    }
  }, 20_000);
});

describe('Redis killed while a forked child holds its sockets', () => {
  it('answers 503 (refused) without waiting for the deadline, then at once, and accepts again when Redis ' +
    'returns', async () => {
    expect((await post()).status).toBe(202);
    const admin = redis.client();
    // 200 keys at 10 ms each: the rewrite child lives ~2 s (rdb-key-save-delay is Redis's own test knob).
    await admin.mset(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`pad:${i}`, 'x'])));
    await admin.config('SET', 'rdb-key-save-delay', '10000');
    await admin.bgrewriteaof();
    await eventually(async () => /^aof_rewrite_in_progress:1/m.test(await admin.info('persistence')));
    // The child reports to its parent after its first key, then every 1,024 keys, and exits when a
    // report finds the parent gone ("Child failed reporting info to parent"). Killed after the first
    // report, it lives to the end of its ~2 s here; in production, to its next report.
    await new Promise((r) => setTimeout(r, 150));
    await redis.kill();
    down = true;
    // The scenario itself: the child outlived the kill (else the sockets closed and this is an ordinary outage).
    expect(rewriteChildren(redis.port)).toBe(1);

    const first = await post();
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('5');
    expect(await reasons()).toMatchObject({ refused: 1, timed_out: 0, command_failed: 0, gone: 1 });
    // The stale connections were dropped, so the next request does not wait at all.
    expect((await post()).status).toBe(503);
    expect(await reasons()).toMatchObject({ refused: 1, not_connected: 1, gone: 1 });
    expect(rewriteChildren(redis.port)).toBe(1);

    await redis.start();
    down = false;
    await eventually(async () => (await post()).status === 202, 10_000, 50);
  }, 30_000);
});
