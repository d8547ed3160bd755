/**
 * Lock and stalled-job settings shared by every worker (BullMQ "going to production"): a job
 * whose worker died keeps its lock until `lockDuration` ends, and is moved back to wait by the
 * next stalled check after that, so it runs again within about `lockDuration + stalledInterval`.
 * https://docs.bullmq.io/guide/workers/stalled-jobs
 */
export interface WorkerTiming {
  readonly lockDuration: number;
  readonly stalledInterval: number;
  /**
   * BullMQ fails a job outright after this many stalls, without our processor running, so it
   * would never reach the dead-letter list. Every job here is idempotent (events merge by
   * source time, actions check their vendor-side marker), so running one again is always safe.
   */
  readonly maxStalledCount: number;
}

export const MAX_STALLED_COUNT = 1_000;

export function workerTiming(env: {
  readonly MIM_WORKER_LOCK_MS: number;
  readonly MIM_WORKER_STALLED_INTERVAL_MS: number;
}): WorkerTiming {
  return {
    lockDuration: env.MIM_WORKER_LOCK_MS,
    stalledInterval: env.MIM_WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
  };
}
