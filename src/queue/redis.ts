import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection roles, after BullMQ's production notes:
 * - `producer` (HTTP intake): no offline queue and one retry, so a Redis outage turns into an
 *   immediate error → 503 instead of a request that hangs until Redis returns;
 * - `worker` (BullMQ workers, blocking commands): `maxRetriesPerRequest: null`, as BullMQ requires.
 * Auto-pipelining stays off: BullMQ's Lua scripts must not be batched across connections.
 */
export type ConnectionRole = 'producer' | 'worker';

const RECONNECT_CAP_MS = 2_000;

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectTimeout: 2_000,
    // Keep trying for ever, quickly at first; intake answers 503 meanwhile and recovers by itself.
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_CAP_MS),
    enableAutoPipelining: false,
    lazyConnect: false,
  };
  const byRole: RedisOptions =
    role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
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
