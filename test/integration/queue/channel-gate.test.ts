import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { channelKey, createChannelGate } from '../../../src/queue/actions/channel-gate.ts';
import { testRedis } from '../../helpers/redis.ts';

/** The per-channel gate of the action worker against a real Redis. */
describe('channel gate', () => {
  let t: ReturnType<typeof testRedis>;
  const logger = createLogger(
    'silent',
    {},
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

  beforeEach(() => {
    t = testRedis();
  });
  afterEach(() => t.clean());

  it('lets one job per channel per second through, and sends later waiters to later windows', async () => {
    const gate = createChannelGate(t.redis, t.prefix, 'slack', { points: 1, seconds: 1 }, logger);
    expect(await gate.waitMs('#payroll-status')).toBe(0);
    const second = await gate.waitMs('payroll-status');
    const third = await gate.waitMs('#payroll-status');
    expect(second).toBeGreaterThan(0);
    expect(second).toBeLessThanOrEqual(1_000);
    // One window later than the second (less the milliseconds between the two calls).
    expect(third - second).toBeGreaterThan(900);
    expect(third - second).toBeLessThanOrEqual(1_000);
    // Another channel has its own window.
    expect(await gate.waitMs('C0123ABCD45')).toBe(0);
    // Under the service's prefix, so every worker sharing the Redis shares the count.
    expect(await t.redis.exists(`${t.prefix}:ratelimit:slack-channel:payroll-status`)).toBe(1);
  });

  it('lets the job through when Redis cannot answer, leaving the vendor 429 as the limit', async () => {
    const closed = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0 });
    closed.disconnect();
    const gate = createChannelGate(closed, t.prefix, 'slack', { points: 1, seconds: 1 }, logger);
    expect(await gate.waitMs('#payroll-status')).toBe(0);
  });

  it('counts #name and name as one channel', () => {
    expect(channelKey('#it-status')).toBe(channelKey('it-status'));
    expect(channelKey('C0123ABCD45')).toBe('C0123ABCD45');
  });
});
