import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection roles, after BullMQ's production notes:
 * - `producer` (HTTP intake): no offline queue and no retries (`maxRetriesPerRequest: 0` makes
 *   ioredis reject what is in flight the moment the connection drops), so a Redis outage turns
 *   into an immediate error → 503 instead of a request that hangs until Redis returns (with one
 *   retry, a command in flight at a SIGKILL waited for the reconnect, and its webhook for the
 *   1 s intake deadline);
 * - `worker` (BullMQ workers, blocking commands): `maxRetriesPerRequest: null`, as BullMQ requires.
 * Auto-pipelining stays off: BullMQ's Lua scripts must not be batched across connections.
 */
export type ConnectionRole = 'producer' | 'worker';

/**
 * Reconnect attempts come at 100, 200, … ms apart, then every 500 ms: a Redis that returns is
 * found within half a second (the intake promises to accept again ≤ 2 s after Redis is back, and
 * a restart loading its AOF already takes part of that); a few connections trying twice a second
 * during an outage cost Redis nothing.
 */
const RECONNECT_CAP_MS = 500;

/**
 * A connection that stops carrying bytes without closing (half-open TCP, a dead NAT entry, a
 * frozen proxy) never errors, so ioredis never reconnects and a BullMQ worker waits on it for
 * ever while /readyz reports the stall (test/chaos/stalled-consumer.test.ts). `socketTimeout`
 * destroys a socket that owes replies and has received nothing for this long, and the retry
 * strategy reconnects. Workers block up to 10 s in BZPOPMIN (BullMQ's Redis ceiling on its block
 * timeout), so their limit sits above that; the producer's commands are all short.
 * https://github.com/redis/ioredis#socket-timeout
 */
const SOCKET_TIMEOUT_MS = { producer: 5_000, worker: 15_000 } as const satisfies Record<ConnectionRole, number>;

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectTimeout: 2_000,
    // Keep trying for ever, quickly at first; intake answers 503 meanwhile and recovers by itself.
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_CAP_MS),
    enableAutoPipelining: false,
    lazyConnect: false,
    socketTimeout: SOCKET_TIMEOUT_MS[role],
  };
  const byRole: RedisOptions =
    role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 0 }
      : { enableOfflineQueue: true, maxRetriesPerRequest: null };
  return new Redis(url, { ...common, ...byRole, ...extra });
}

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('Redis is unavailable', { cause });
    this.name = 'RedisUnavailableError';
  }
}

/** Reads `maxmemory_policy` from INFO (CONFIG GET is often disabled on managed Redis). */
export async function readMaxmemoryPolicy(redis: Redis): Promise<string | undefined> {
  const info = await redis.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

/** Waits for `ready` up to `ms`; false on time-out. Used at start-up only, never in a request. */
export function waitReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { redis.off('ready', onReady); resolve(false); }, ms);
    const onReady = () => { clearTimeout(timer); resolve(true); };
    redis.once('ready', onReady);
  });
}
