import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../observability/logger.ts';
import type { WorkerTiming } from './worker-timing.ts';

/**
 * The process timers as BullMQ delayed jobs (they survive restarts: the delay lives in Redis).
 * Ids are deterministic (`<mi>.<kind>.<n>.<at>`), so scheduling the same plan twice, from two
 * processes or after a restart, keeps one job; fired jobs are kept a week so a recomputed plan
 * that still names one does not schedule it again.
 */
export const TIMERS_QUEUE = 'timers';

export const TimerJob = z.object({
  majorIncidentId: z.string().regex(/^MI-[A-Za-z0-9-]+$/),
  id: z.string().min(1),
  kind: z.enum(['ack', 'mobilise', 'cadence', 'pir']),
  n: z.number().int().min(1),
});
export type TimerJob = z.infer<typeof TimerJob>;

const KEEP_FIRED_S = 7 * 24 * 3600;

export const TIMER_JOB_OPTIONS = {
  removeOnComplete: { age: KEEP_FIRED_S },
  removeOnFail: { age: KEEP_FIRED_S },
  // A Redis blip while firing: try again soon; the handler re-checks the plan every time.
  attempts: 20,
  backoff: { type: 'exponential', delay: 1_000 },
} as const;

export function createTimersQueue(connection: Redis, prefix: string): Queue {
  return new Queue(TIMERS_QUEUE, { connection, prefix });
}

/** `early`: another process's clock ran ahead; the job waits until `at` instead of firing. */
export type TimerHandled = string | { readonly early: number };

export interface TimersWorkerDeps {
  readonly connection: Redis;
  readonly prefix: string;
  readonly handle: (job: TimerJob) => Promise<TimerHandled>;
  readonly logger: Logger;
  readonly timing?: WorkerTiming;
}

export function startTimersWorker(deps: TimersWorkerDeps): Worker {
  const worker = new Worker(TIMERS_QUEUE, async (job: Job, token?: string) => {
    const parsed = TimerJob.safeParse(job.data);
    if (!parsed.success) {
      deps.logger.error({ jobId: job.id, issues: parsed.error.issues }, 'malformed timer job dropped');
      return 'invalid';
    }
    const result = await deps.handle(parsed.data);
    if (typeof result === 'string') return result;
    await job.moveToDelayed(result.early, token);
    throw new DelayedError();
  }, { connection: deps.connection, prefix: deps.prefix, concurrency: 4, ...deps.timing });
  worker.on('error', (err) => deps.logger.error({ err }, 'timers worker error'));
  return worker;
}
