import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection roles, after BullMQ's production notes:
 * - `producer` (HTTP intake): no offline queue and no retries (`maxRetriesPerRequest: 0` makes
 *   ioredis reject what is in flight the moment the connection drops), so a Redis outage turns
 *   into an immediate error → 503 instead of a request that hangs until Redis returns (with one
 *   retry, a command in flight at a SIGKILL waited for the reconnect, and its webhook for the
 *   1 s intake deadline);
 * - `worker` (BullMQ workers, blocking commands): `maxRetriesPerRequest: null`, as BullMQ requires;
 * - `dedup` (the intake's duplicate records: EXISTS and SET NX, never a BullMQ command): the
 *   producer's settings plus auto-pipelining, which sends the commands concurrent webhooks issue
 *   in one tick in one write. Measured at 1,000 webhooks/s (bench/intake.ts, docs/benchmarks.md):
 *   Redis CPU per webhook ~25 → ~7 µs, the service's ~175 → ~150 µs.
 * Auto-pipelining stays off on every connection BullMQ uses (BullMQ's production notes: its
 * scripts and blocking commands are not written for it; Bull users saw jobs lose their data).
 */
export type ConnectionRole = 'producer' | 'worker' | 'dedup';

/**
 * Reconnect attempts come at 100, 200, … ms apart, then every 500 ms: a Redis that returns is
 * found within half a second (the intake promises to accept again ≤ 2 s after Redis is back, and
 * a restart loading its AOF already takes part of that); a few connections trying twice a second
 * during an outage cost Redis nothing.
 */
const RECONNECT_CAP_MS = 500;

/**
 * While Redis loads its AOF after a restart, ioredis's ready check finds `loading:1` and waits
 * `loading_eta_seconds` (at least 1 s, up to 10 s by default) before asking again, so a connection
 * could come ready a second or more after Redis had finished loading (measured: 0.9 s late on a
 * 150 MB AOF). Asking every 100 ms costs one INFO per connection per tick while loading.
 */
const LOADING_RECHECK_MS = 100;

/**
 * A connection that stops carrying bytes without closing (half-open TCP, a dead NAT entry, a
 * frozen proxy) never errors, so ioredis never reconnects and a BullMQ worker waits on it for
 * ever while /readyz reports the stall (test/chaos/stalled-consumer.test.ts). `socketTimeout`
 * destroys a socket that owes replies and has received nothing for this long, and the retry
 * strategy reconnects. Workers block up to 10 s in BZPOPMIN (BullMQ's Redis ceiling on its block
 * timeout), so their limit sits above that; the producer's commands are all short.
 * https://github.com/redis/ioredis#socket-timeout
 */
const SOCKET_TIMEOUT_MS = { producer: 5_000, dedup: 5_000, worker: 15_000 } as const satisfies Record<
  ConnectionRole,
  number
>;

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectTimeout: 2_000,
    // Keep trying for ever, quickly at first; intake answers 503 meanwhile and recovers by itself.
    retryStrategy: (times) => Math.min(times * 100, RECONNECT_CAP_MS),
    maxLoadingRetryTime: LOADING_RECHECK_MS,
    enableAutoPipelining: false,
    lazyConnect: false,
    socketTimeout: SOCKET_TIMEOUT_MS[role],
  };
  const byRole: RedisOptions =
    role === 'worker'
      ? { enableOfflineQueue: true, maxRetriesPerRequest: null }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 0, enableAutoPipelining: role === 'dedup' };
  return new Redis(url, { ...common, ...byRole, ...extra });
}

/**
 * Why a request found Redis unavailable, so a slow 503 can be told from a fast one:
 * - `not_connected`: the connection was not ready when the request came (answered at once);
 * - `command_failed`: a command failed, e.g. the connection dropped with it in flight;
 * - `timed_out`: a command did not answer within the request's deadline (answered after it);
 * - `refused`: commands were silent and a fresh connection to Redis was refused, so Redis is gone
 *   though its sockets are still open (queue/redis-gone.ts; answered after the watch's wait).
 */
export type UnavailableReason = 'not_connected' | 'command_failed' | 'timed_out' | 'refused';

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  readonly reason: UnavailableReason;
  constructor(reason: UnavailableReason, cause?: unknown) {
    super(`Redis is unavailable (${reason})`, { cause });
    this.reason = reason;
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
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
