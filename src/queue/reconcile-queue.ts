import { randomUUID } from 'node:crypto';
import { Queue, Worker, type JobSchedulerTemplateOptions } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import { keys } from '../store/keys.ts';
import { runScript, SCRIPTS } from '../store/scripts.ts';
import { reconcileRuns } from '../observability/metrics.ts';

/**
 * Reconciliation as a BullMQ job scheduler: one job per interval for the whole deployment,
 * however many worker processes upsert the scheduler (same id, same `every`: the schedule is
 * kept). https://docs.bullmq.io/guide/job-schedulers
 */
export const QUEUE_RECONCILE = 'reconcile';
export const RECONCILE_SCHEDULER_ID = 'reconcile';

/** A failed run is not retried: the next interval is the retry, and the sweep cursor has not moved. */
export const RECONCILE_JOB_OPTIONS: JobSchedulerTemplateOptions = {
  attempts: 1,
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
};

export type ReconcileQueue = Queue<Record<string, never>, string>;

export function createReconcileQueue(connection: RedisClient, prefix: string): ReconcileQueue {
  return new Queue(QUEUE_RECONCILE, { connection, prefix });
}

/**
 * Creates or updates the scheduler. A new scheduler (or a changed interval) first runs one
 * interval from now: a process start is no reason to run at once, and every process upserts.
 */
export async function scheduleReconcile(
  queue: ReconcileQueue,
  intervalSeconds: number,
  now = Date.now(),
): Promise<void> {
  const every = intervalSeconds * 1000;
  await queue.upsertJobScheduler(
    RECONCILE_SCHEDULER_ID,
    { every, startDate: now + every },
    { name: 'reconcile', data: {}, opts: RECONCILE_JOB_OPTIONS },
  );
}

export interface ReconcileWorkerDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  /** One run; its outcome is the job's result. */
  readonly run: () => Promise<{ readonly outcome: string }>;
  /** The lock outlives a run by at most this long, so a crashed run never blocks the next one for good. */
  readonly lockMs: () => number;
  readonly logger: Logger;
}

/**
 * The scheduler makes the next job when a run starts, so a run slower than the interval could
 * overlap the next one on another process: a lock in Redis lets only one run at a time.
 */
export function startReconcileWorker(deps: ReconcileWorkerDeps): Worker<Record<string, never>, string> {
  const lockKey = keys(deps.prefix).reconcileLock;
  const worker = new Worker<Record<string, never>, string>(
    QUEUE_RECONCILE,
    async (job) => {
      const token = randomUUID();
      if ((await deps.connection.set(lockKey, token, 'PX', deps.lockMs(), 'NX')) !== 'OK') {
        reconcileRuns.inc({ outcome: 'skipped' });
        deps.logger.info({ jobId: job.id }, 'reconcile: another run is still going; this one is skipped');
        return 'skipped';
      }
      try {
        return (await deps.run()).outcome;
      } finally {
        // Only if it is still ours: it may have expired and been taken.
        await runScript(deps.connection, SCRIPTS.releaseLockIfOurs, [lockKey], [token]);
      }
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.error({ err }, 'reconcile worker error'));
  return worker;
}
