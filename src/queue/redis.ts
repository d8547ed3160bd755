import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/env-redis.ts';
import type { RedisClient } from '../lib/redis-client.ts';

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

/**
 * How a worker's commands ride out a Cluster failover. While a dead primary's replica is not yet
 * promoted (`cluster-node-timeout` plus the election: 2–3 s in the tests, 15 s and more with Redis's
 * default timeout or a managed offering), the live nodes still answer MOVED to the dead node and
 * ioredis gets "Connection is closed" from it, each one a redirection. With ioredis's defaults
 * (16 redirections, 100 ms apart, MOVED retried at once) a command gives up after about a second
 * with "Too many Cluster redirections" (https://github.com/redis/ioredis/issues/1195,
 * https://github.com/redis/ioredis/issues/1863). For a worker that cost the timers ~10 s: BullMQ
 * answers a failed BZPOPMIN on the marker by forgetting when the next delayed job is due, and
 * blocks its full 10 s ceiling on a marker that was already taken, so a timer due meanwhile
 * waits for that time-out (https://github.com/taskforcesh/bullmq/issues/1658). So a worker's
 * command retries every 500 ms (slots refreshed each time) for about a minute before it fails:
 * the BZPOPMIN lands on the new primary, BullMQ's watchdog ends it a second after its own
 * deadline, and the worker promotes the due timer at once. The producer keeps ioredis's defaults:
 * it answers 503 within its deadline either way.
 */
const WORKER_CLUSTER_RETRY_MS = 500;
const WORKER_CLUSTER_RETRY_WINDOW_MS = 60_000;
const WORKER_CLUSTER_RETRIES: Pick<
  ClusterOptions,
  'retryDelayOnFailover' | 'retryDelayOnClusterDown' | 'retryDelayOnTryAgain' | 'maxRedirections' | 'enableReadyCheck'
> = {
  // A ready check that finds `cluster_state:fail` (a failover under way) makes ioredis reconnect from
  // inside connect(), and the promise of that connect() never settles
  // (https://github.com/redis/ioredis/issues/709, https://github.com/redis/ioredis/pull/741). BullMQ
  // awaits exactly that when its watchdog resets a blocking connection whose BZPOPMIN outlived its
  // deadline during the failover, so the worker stopped for good. Without the check the Cluster is
  // ready once it has the slot map, and a command meeting CLUSTERDOWN retries as below.
  enableReadyCheck: false,
  retryDelayOnFailover: WORKER_CLUSTER_RETRY_MS,
  retryDelayOnClusterDown: WORKER_CLUSTER_RETRY_MS,
  retryDelayOnTryAgain: WORKER_CLUSTER_RETRY_MS,
  // Two redirections per wait while the dead node is still named: MOVED to it (retried at once), then its closed connection.
  maxRedirections: (2 * WORKER_CLUSTER_RETRY_WINDOW_MS) / WORKER_CLUSTER_RETRY_MS,
};

/** The data nodes' user, password, TLS and database, from REDIS_URL (also with Sentinel or Cluster). */
function nodeAuth(url: string): Pick<RedisOptions, 'username' | 'password' | 'db' | 'tls'> {
  const u = new URL(url);
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A connection for `role` to the data, in whichever form the environment gives it (env-redis.ts):
 * - `single`: the node of REDIS_URL, as ever;
 * - `sentinel`: ioredis's `Redis` asks the sentinels for the primary of `name`, connects to it
 *   (checking its role), and reconnects through them whenever the connection drops: a primary that
 *   died closes it, and the sentinels close every client of one they demote while it is alive
 *   (CLIENT KILL after they reconfigure it); a READONLY answer (a node demoted by other means)
 *   reconnects too. Not ioredis's `failoverDetector`: its `+switch-master` handler cancels a
 *   reconnection under way, and ioredis then ends the connection for good (the failover chaos run's
 *   own client, which had it, was left `end` after the second failover). The role's settings apply to the
 *   data connection unchanged: a producer still fails at once while no primary is known, and a
 *   worker waits;
 * - `cluster`: ioredis's `Cluster` over the seed nodes; the role's settings go to each node's
 *   connection, and every key shares the `{mim}` hash tag, so all commands go to one primary; a
 *   worker's Cluster rides out a failover (WORKER_CLUSTER_RETRIES).
 * A string is taken as a single node's URL (benchmarks and tests). `extra` goes to the node
 * connections, `clusterExtra` to a Cluster itself.
 */
export function createRedis(
  to: RedisTopology | string,
  role: ConnectionRole,
  extra: RedisOptions = {},
  clusterExtra: Pick<ClusterOptions, 'lazyConnect' | 'clusterRetryStrategy'> = {},
): RedisClient {
  const topology: RedisTopology = typeof to === 'string' ? { kind: 'single', url: to } : to;
  const retryStrategy = (times: number) => Math.min(times * 100, RECONNECT_CAP_MS);
  const perNode: RedisOptions = {
    connectTimeout: 2_000,
    maxLoadingRetryTime: LOADING_RECHECK_MS,
    socketTimeout: SOCKET_TIMEOUT_MS[role],
    maxRetriesPerRequest: role === 'worker' ? null : 0,
  };
  const offlineQueue = role === 'worker';
  const autoPipelining = role === 'dedup';
  if (topology.kind === 'cluster') {
    const auth = nodeAuth(topology.url);
    // Per-node options the Cluster sets itself are not passed on (its type omits them).
    const { retryStrategy: _r, enableOfflineQueue: _o, sentinels: _s, ...nodeExtra } = extra;
    return new Cluster(
      topology.nodes.map((n) => ({ host: n.host, port: n.port })),
      {
        clusterRetryStrategy: retryStrategy,
        enableOfflineQueue: offlineQueue,
        enableAutoPipelining: autoPipelining,
        lazyConnect: false,
        ...(role === 'worker' ? WORKER_CLUSTER_RETRIES : {}),
        redisOptions: { ...perNode, ...auth, ...nodeExtra },
        ...(topology.natMap ? { natMap: { ...topology.natMap } } : {}),
        // With TLS the nodes' names must reach the TLS handshake unresolved, for the certificate check
        // (ElastiCache's and Memorystore's advice for ioredis).
        ...(auth.tls
          ? { dnsLookup: (address: string, done: (e: null, a: string) => void) => done(null, address) }
          : {}),
        ...clusterExtra,
      },
    );
  }
  const options: RedisOptions = {
    ...perNode,
    retryStrategy,
    enableOfflineQueue: offlineQueue,
    enableAutoPipelining: autoPipelining,
    lazyConnect: false,
    ...extra,
  };
  if (topology.kind === 'single') return new Redis(topology.url, options);
  const auth = nodeAuth(topology.url);
  return new Redis({
    ...options,
    ...auth,
    sentinels: topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: topology.name,
    ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
    // A demoted primary still up: reconnect through the sentinels; the command itself fails (1, not 2: not re-sent).
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
    // rediss:// means TLS towards the data nodes and the sentinels alike.
    ...(auth.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
  });
}

/**
 * Why a request found Redis unavailable, so a slow 503 can be told from a fast one:
 * - `not_connected`: the connection was not ready when the request came (answered at once);
 * - `command_failed`: a command failed, e.g. the connection dropped with it in flight;
 * - `timed_out`: a command did not answer within the request's deadline (answered after it);
 * - `refused`: commands were silent and a fresh connection to Redis was refused, so Redis is gone
 *   though its sockets are still open (queue/redis-gone.ts; answered after the watch's wait);
 * - `replicas_short`: the delivery is on the primary, but fewer replicas than MIM_INTAKE_MIN_REPLICAS
 *   confirmed it in time (queue/replica-wait.ts), so a failover now could lose it.
 */
export type UnavailableReason = 'not_connected' | 'command_failed' | 'timed_out' | 'refused' | 'replicas_short';

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  readonly reason: UnavailableReason;
  constructor(reason: UnavailableReason, cause?: unknown) {
    super(`Redis is unavailable (${reason})`, { cause });
    this.reason = reason;
    this.name = 'RedisUnavailableError';
  }
}

/** Waits for `ready` up to `ms`; false on time-out. Used at start-up only, never in a request. */
export function waitReady(redis: RedisClient, ms: number): Promise<boolean> {
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

/**
 * A connection for a CLI command: connects when asked (`connect()`), tries once, never queues, so a
 * command answers at once instead of hanging while Redis is away.
 */
export function createCliRedis(to: RedisTopology | string): RedisClient {
  const topology: RedisTopology = typeof to === 'string' ? { kind: 'single', url: to } : to;
  const once = { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 1 } as const;
  if (topology.kind !== 'cluster') return createRedis(topology, 'producer', { ...once, retryStrategy: () => null });
  return createRedis(topology, 'producer', once, { lazyConnect: true, clusterRetryStrategy: () => null });
}
