import type { Logger } from '../observability/logger.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import type { RedisClient } from '../lib/redis-client.ts';
import { readMaxmemoryPolicy } from '../queue/redis-nodes.ts';
import { persistenceWarning, readPersistence } from '../queue/redis-persistence.ts';
import { waitReady } from '../queue/redis.ts';
import { ReplicaAckUnsupportedError, type ReplicaWait } from '../queue/replica-wait.ts';
import { StartupError } from './startup-error.ts';

/** BullMQ loses jobs under eviction: refuse to run on a Redis that may evict. Warn when its persistence can lose acknowledged webhooks. */
export async function checkRedisPolicy(
  redis: RedisClient,
  logger: Logger,
  waitMs: number,
  replicas: ReplicaWait | undefined,
): Promise<void> {
  if (!(await waitReady(redis, waitMs))) {
    logger.warn('Redis is not reachable yet; webhooks answer 503 until it is');
    return;
  }
  try {
    await replicas?.detect(redis);
  } catch (err) {
    if (err instanceof ReplicaAckUnsupportedError) throw new StartupError(err.message);
    // Asked again at the first webhook (replica-wait.ts); only `fsynced` depends on the answer.
    logger.warn({ err }, 'could not ask Redis whether it has WAITAOF; asking again at the first webhook');
  }
  const policy = await readMaxmemoryPolicy(redis);
  if (policy !== 'noeviction') {
    throw new StartupError(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}", but mim-bridge needs "noeviction" so queued events are never evicted. ` +
        'Set it with `CONFIG SET maxmemory-policy noeviction` (and in redis.conf), then start again.',
    );
  }
  // Best effort and bounded: a warning must not hold up or fail the start.
  const persistence = await withTimeout(readPersistence(redis), 2_000, () => new Error('timed out')).catch(
    (err: unknown) => {
      logger.debug({ err }, 'could not read Redis persistence settings');
      return undefined;
    },
  );
  const warning = persistence && persistenceWarning(persistence);
  if (warning) logger.warn({ check: 'redis_persistence' }, warning);
}
