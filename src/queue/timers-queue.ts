import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import { TimerJob, type TimerHandled, type TimerSchedule } from '../process/timer-schedule.ts';
import type { WorkerTiming } from './worker-timing.ts';

/**
 * The process timers as BullMQ delayed jobs (they survive restarts: the delay lives in Redis).
 * Ids are deterministic (`<mi>.<kind>.<n>.<at>`), so scheduling the same plan twice, from two
 * processes or after a restart, keeps one job; fired jobs are kept a week so a recomputed plan
 * that still names one does not schedule it again.
 */
export const TIMERS_QUEUE = 'timers';

const KEEP_FIRED_S = 7 * 24 * 3600;

export const TIMER_JOB_OPTIONS = {
  removeOnComplete: { age: KEEP_FIRED_S },
  removeOnFail: { age: KEEP_FIRED_S },
  // A Redis blip while firing: try again soon; the handler re-checks the plan every time.
  attempts: 20,
  backoff: { type: 'exponential', delay: 1_000 },
} as const;

export function createTimersQueue(connection: RedisClient, prefix: string): Queue {
  return new Queue(TIMERS_QUEUE, { connection, prefix });
}

/** The process timers' schedule(job, at) port on this queue. */
export function queueSchedule(queue: Queue, now: () => number = Date.now): TimerSchedule {
  return {
    schedule: async (job, at) => {
      await queue.add(job.kind, job, { ...TIMER_JOB_OPTIONS, jobId: job.id, delay: Math.max(0, at - now()) });
    },
    cancel: async (id) => {
      const job = await queue.getJob(id);
      // A delayed or waiting timer is removed; an active or finished one is left to finish (it re-checks the plan).
      if (job && ['delayed', 'waiting', 'prioritized'].includes(await job.getState()))
        await job.remove().catch(() => undefined);
    },
  };
}

export interface TimersWorkerDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly handle: (job: TimerJob) => Promise<TimerHandled>;
  readonly logger: Logger;
  readonly timing?: WorkerTiming;
}

export function startTimersWorker(deps: TimersWorkerDeps): Worker {
  const worker = new Worker(
    TIMERS_QUEUE,
    async (job: Job, token?: string) => {
      const parsed = TimerJob.safeParse(job.data);
      if (!parsed.success) {
        deps.logger.error({ jobId: job.id, issues: parsed.error.issues }, 'malformed timer job dropped');
        return 'invalid';
      }
      const result = await deps.handle(parsed.data);
      if (typeof result === 'string') return result;
      await job.moveToDelayed(result.early, token);
      throw new DelayedError();
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 4, ...deps.timing },
  );
  worker.on('error', (err) => deps.logger.error({ err }, 'timers worker error'));
  return worker;
}
