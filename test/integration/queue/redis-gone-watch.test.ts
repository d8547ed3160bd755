import { afterEach, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/lib/redis-client.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { goneWatch } from '../../../src/queue/redis-gone.ts';
import { createRedis, waitReady } from '../../../src/queue/redis.ts';
import { tcpProxy, type TcpProxy } from '../../chaos/lib/tcp-proxy.ts';

/**
 * The watch on its own, against the shared Redis behind a TCP proxy that can freeze its
 * connections (silence) and stop listening (refusal), the two halves of "Redis is gone but a
 * forked child holds its sockets". Only both together may drop a connection.
 */
const REDIS_PORT = Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let proxy: TcpProxy;
let conn: RedisClient;
const setUp = async (timing: { afterMs?: number } = {}) => {
  proxy = await tcpProxy(REDIS_PORT);
  conn = createRedis(proxy.url, 'dedup');
  conn.on('error', () => {});
  expect(await waitReady(conn, 5_000)).toBe(true);
  return goneWatch({ probed: conn, connections: [conn], logger: createLogger('silent'), ...timing });
};
afterEach(async () => {
  conn.disconnect();
  proxy.release();
  await proxy.close();
});

describe('goneWatch', () => {
  it('drops a silent connection once a fresh connection is refused, and says so for what waited', async () => {
    const watch = await setUp();
    proxy.blackhole();
    proxy.stopListening();
    const at = performance.now();
    const done = watch.begin(at);
    const pending = conn.exists('mimtest:gone-watch').then(
      () => 'answered',
      (err: Error) => err.message,
    );
    // Rejected by ioredis when the dropped connection closes (no retries on this role).
    expect(await pending).toMatch(/max retries per request/);
    done();
    expect(watch.droppedSince(at)).toBe(true);
    expect(conn.status).not.toBe('ready');
  });

  it('leaves a silent connection alone while new connections are accepted (a slow Redis)', async () => {
    const watch = await setUp();
    proxy.blackhole();
    const at = performance.now();
    const done = watch.begin(at);
    await sleep(200); // ten ticks, five times the wait before asking
    done();
    expect(watch.droppedSince(at)).toBe(false);
    expect(conn.status).toBe('ready');
  });

  it('leaves a connection alone that still hears from Redis, even when new ones are refused', async () => {
    // A 1 s wait, not 40 ms: a PING every 10 ms leaves gaps as long as the test process's own
    // stalls, and npm test runs this beside the fuzz, where 100 ms stalls were seen. Watched for
    // twice the wait, so a connection that hears from Redis would be dropped by now if it could be.
    const watch = await setUp({ afterMs: 1_000 });
    proxy.stopListening();
    const at = performance.now();
    const done = watch.begin(at);
    while (performance.now() - at < 2_000) {
      expect(await conn.ping()).toBe('PONG');
      await sleep(10);
    }
    done();
    expect(watch.droppedSince(at)).toBe(false);
    expect(conn.status).toBe('ready');
  });
});
