import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisTopology } from '../../../src/config/env-redis.ts';
import type { RedisClient } from '../../../src/lib/redis-client.ts';
import { createRedis, waitReady } from '../../../src/queue/redis.ts';
import { MASTER_NAME, type SentinelSet, sentinelSet } from '../../chaos/lib/sentinel-set.ts';
import { eventually } from '../../helpers/service.ts';

/**
 * The connections createRedis builds for Sentinel follow the primary without a restart, whether it
 * is demoted while alive (SENTINEL FAILOVER) or SIGKILLed; none is ever left ended. A Sentinel set
 * of the test's own.
 */
let set: SentinelSet;
const opened: RedisClient[] = [];

beforeAll(async () => {
  set = await sentinelSet({ replicas: 1 });
}, 60_000);
afterAll(async () => {
  for (const c of opened) c.disconnect();
  await set?.close();
});

const topology = (): RedisTopology => ({
  kind: 'sentinel',
  url: 'redis://sentinel-managed.invalid:6379',
  sentinels: set.sentinels.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
  name: MASTER_NAME,
});

/**
 * The port the connection's writes land on, once they land on `expected`. Right after a promotion a
 * demoted primary may take a write or two until the sentinels reconfigure it (writes that
 * MIM_INTAKE_MIN_REPLICAS refuses: its replica has left it), so this waits for the switch.
 */
async function writesTo(c: RedisClient, key: string, expected: number): Promise<number> {
  let last: number | undefined;
  await eventually(
    async () => {
      try {
        await c.set(key, '1');
        last = Number(/^tcp_port:(\d+)/m.exec(await c.info('server'))?.[1]);
        return last === expected;
      } catch {
        return false;
      }
    },
    20_000,
    50,
  ).catch(() => undefined);
  return last ?? 0;
}

describe('Sentinel connections across failovers', () => {
  it('follow a demoted primary’s successor, then a killed one’s, and never end', async () => {
    const producer = createRedis(topology(), 'producer');
    const worker = createRedis(topology(), 'worker');
    opened.push(producer, worker);
    const ended: string[] = [];
    for (const [name, c] of [
      ['producer', producer],
      ['worker', worker],
    ] as const) {
      c.on('error', () => {});
      c.on('end', () => ended.push(name));
    }
    expect(await waitReady(producer, 10_000)).toBe(true);
    const first = await set.primary();
    expect(await writesTo(producer, 'k1', first)).toBe(first);

    // Demoted while alive: the sentinels reconfigure it and close its clients; the connections find the new primary.
    const admin = set.client(Number(set.sentinels.split(',')[0]!.split(':')[1]));
    await admin.call('SENTINEL', 'FAILOVER', MASTER_NAME);
    const second = await set.promoted(first);
    expect(await writesTo(producer, 'k2', second)).toBe(second);
    expect(await writesTo(worker, 'k2w', second)).toBe(second);

    // Killed: the connection closes, and the sentinels name the demoted node again once it is promoted.
    await set.kill(second);
    const third = await set.promoted(second);
    expect(third).toBe(first);
    expect(await writesTo(producer, 'k3', third)).toBe(third);
    expect(await writesTo(worker, 'k3w', third)).toBe(third);
    expect(ended).toEqual([]);
    expect(producer.status).toBe('ready');
  }, 90_000);
});
