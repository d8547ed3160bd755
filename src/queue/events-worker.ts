import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import { IncidentEvent } from '../domain/incident-event.ts';
import type { Logger } from '../observability/logger.ts';
import { eventsProcessed } from '../observability/metrics.ts';
import { QUEUE_EVENTS, type EventsJobData } from './events-queue.ts';
import type { Keys } from '../store/keys.ts';
import type { WorkerTiming } from './worker-timing.ts';

/** What the worker does with one validated event; the orchestrator provides it. */
export type EventHandler = (event: IncidentEvent, job: { id: string; attemptsMade: number }) => Promise<string>;

export interface EventsWorkerDeps {
  readonly connection: RedisClient;
  /** A separate non-blocking connection for the consumption heartbeat. */
  readonly store: RedisClient;
  readonly keys: Keys;
  readonly concurrency: number;
  readonly handle: EventHandler;
  readonly logger: Logger;
  readonly timing?: WorkerTiming;
}

/** Heartbeats are throttled: one write a second proves consumption as well as thousands. */
const HEARTBEAT_EVERY_MS = 1_000;

export function startEventsWorker(deps: EventsWorkerDeps): Worker<EventsJobData, string> {
  let lastBeat = 0;
  const beat = async () => {
    const now = Date.now();
    if (now - lastBeat < HEARTBEAT_EVERY_MS) return;
    lastBeat = now;
    await deps.store.set(deps.keys.consumedAt, String(now));
  };

  const process = async (job: Job<EventsJobData, string>): Promise<string> => {
    if ('canary' in job.data) {
      lastBeat = 0;
      await beat();
      return 'canary';
    }
    const parsed = IncidentEvent.safeParse(job.data);
    if (!parsed.success) {
      // Intake validated it; a malformed job means a bug or tampering. Retrying cannot help.
      eventsProcessed.inc({ source: 'unknown', result: 'invalid' });
      throw new UnrecoverableError(`events job ${job.id} does not hold a valid IncidentEvent`);
    }
    const event = parsed.data;
    const log = deps.logger.child({ source: event.source, deliveryId: event.deliveryId, jobId: job.id });
    try {
      const result = await deps.handle(event, { id: job.id ?? '', attemptsMade: job.attemptsMade });
      eventsProcessed.inc({ source: event.source, result });
      log.debug({ result, kind: event.kind, recordId: event.recordId }, 'event processed');
      await beat();
      return result;
    } catch (err) {
      eventsProcessed.inc({ source: event.source, result: 'failed' });
      log.error({ err, attempt: job.attemptsMade + 1 }, 'event processing failed; BullMQ retries it with backoff');
      throw err;
    }
  };

  const worker = new Worker<EventsJobData, string>(QUEUE_EVENTS, process, {
    connection: deps.connection,
    prefix: deps.keys.prefix,
    concurrency: deps.concurrency,
    ...deps.timing,
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'events worker error'));
  return worker;
}
