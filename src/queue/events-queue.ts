import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';

/** The BullMQ queue of normalized events (its keys are BullMQ's: `<prefix>:events:…`). */
export const QUEUE_EVENTS = 'events';

/** Job data of the `events` queue: a normalized event, or the readiness canary. */
export type EventsJobData = IncidentEvent | { canary: true; sentAt: number };
export type EventsQueue = Queue<EventsJobData>;

/**
 * Events are retried a few times (a store or orchestration hiccup), then kept as failed for a
 * week so an operator can inspect and retry them; completed ones are trimmed, because the
 * 72-hour duplicate record lives in its own key.
 */
export const COMPLETED_EVENTS_KEPT = { age: 3600, count: 10_000 } as const;

export const EVENT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  removeOnComplete: COMPLETED_EVENTS_KEPT,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** `completedKept` overrides how many completed events are kept (a soak's shortened retention). */
export function createEventsQueue(connection: RedisClient, prefix: string, completedKept?: number): EventsQueue {
  return new Queue<EventsJobData>(QUEUE_EVENTS, {
    connection,
    prefix,
    defaultJobOptions:
      completedKept === undefined
        ? EVENT_JOB_OPTIONS
        : { ...EVENT_JOB_OPTIONS, removeOnComplete: { ...COMPLETED_EVENTS_KEPT, count: completedKept } },
  });
}
