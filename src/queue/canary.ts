import type { RedisClient } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import type { EventsQueue } from './events-queue.ts';
import type { Keys } from '../store/keys.ts';

/**
 * Workers can silently stop consuming after a Redis disruption (a known BullMQ failure mode), so
 * readiness cannot rest on PING. Every interval a canary job goes through the real `events`
 * queue; the worker stamps the time it consumed anything. Job ids are per time slot, so several
 * web processes send one canary between them.
 */
export function startCanary(queue: EventsQueue, intervalMs: number, logger: Logger): () => void {
  const send = () => {
    const slot = Math.floor(Date.now() / intervalMs);
    queue
      .add(
        'canary',
        { canary: true, sentAt: Date.now() },
        { jobId: `canary-${slot}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
      )
      .catch((err: unknown) => logger.debug({ err }, 'canary not sent (Redis unavailable?)'));
  };
  send();
  const timer = setInterval(send, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Age of the newest consumption stamp in ms, or undefined when no worker has consumed yet. */
export async function consumptionAge(redis: RedisClient, keys: Keys, now = Date.now()): Promise<number | undefined> {
  const at = await redis.get(keys.consumedAt);
  return at ? now - Number(at) : undefined;
}
