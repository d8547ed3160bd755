import type { RedisClient } from '../lib/redis-client.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { EventsQueue } from './events-queue.ts';
import { eventJobId } from './job-id.ts';
import type { Keys } from '../store/keys.ts';
import type { GoneWatch } from './redis-gone.ts';
import type { ReplicaWait } from './replica-wait.ts';
import { RedisUnavailableError } from './redis.ts';
import { withTimeout } from '../lib/with-timeout.ts';

export type IntakeResult = { readonly status: 'accepted' | 'duplicate'; readonly jobId: string };

export interface IntakeDeps {
  readonly queue: EventsQueue;
  /**
   * For the duplicate records: a `dedup` connection on the request path (auto-pipelined), a
   * `producer` one elsewhere. Neither has an offline queue, so an outage fails at once.
   */
  readonly redis: RedisClient;
  readonly keys: Keys;
  readonly dedupTtlSeconds: number;
  /**
   * Upper bound on the Redis part of a request, all three round trips; beyond it the sender gets
   * 503 and retries. Whatever was still under way finishes or fails on its own: a job added late
   * is found by the retry (BullMQ keeps one job per id; the duplicate record follows the job).
   */
  readonly timeoutMs: number;
  /** Ends the wait early when Redis is gone but its sockets are still open (redis-gone.ts). */
  readonly gone?: GoneWatch;
  /** With MIM_INTAKE_MIN_REPLICAS: the answer waits until enough replicas hold the delivery (replica-wait.ts). */
  readonly replicas?: ReplicaWait;
}

/**
 * Makes an event durable. Order matters: the job is added before the duplicate record is
 * written, so a crash in between can at worst process a redelivery twice (processing is
 * idempotent) but can never answer "duplicate" for a delivery Redis does not hold.
 */
export async function acceptEvent(deps: IntakeDeps, event: IncidentEvent): Promise<IntakeResult> {
  const { queue, redis, keys } = deps;
  if (redis.status !== 'ready') throw new RedisUnavailableError('not_connected', `connection ${redis.status}`);
  const jobId = eventJobId(event.source, event.deliveryId);
  const dedupKey = keys.dedup(event.source, jobId);
  const write = async (): Promise<IntakeResult> => {
    if ((await redis.exists(dedupKey)) === 1) return { status: 'duplicate', jobId };
    await queue.add(event.kind, event, { jobId });
    const fresh = await redis.set(dedupKey, '1', 'EX', deps.dedupTtlSeconds, 'NX');
    // A concurrent delivery of the same id got there first; BullMQ kept one job for both.
    return { status: fresh === 'OK' ? 'accepted' : 'duplicate', jobId };
  };
  // A duplicate is confirmed too: the delivery it repeats may have been answered 503 for want of replicas.
  const store = async (): Promise<IntakeResult> => {
    const result = await write();
    await deps.replicas?.confirm(redis);
    return result;
  };
  const startedAt = performance.now();
  const done = deps.gone?.begin(startedAt);
  try {
    return await withTimeout(
      store(),
      deps.timeoutMs,
      () => new RedisUnavailableError('timed_out', `no answer within ${deps.timeoutMs} ms`),
    );
  } catch (err) {
    if (err instanceof RedisUnavailableError) throw err;
    // Failed because the gone watch dropped the connections it waited on (redis-gone.ts).
    throw new RedisUnavailableError(deps.gone?.droppedSince(startedAt) ? 'refused' : 'command_failed', err);
  } finally {
    done?.();
  }
}
