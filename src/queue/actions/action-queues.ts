import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { actionQueueName, type Target } from './action-job.ts';

/**
 * Job defaults for actions: retries are decided by retry-policy.ts (backoff with jitter, the
 * vendor's Retry-After, a 24-hour horizon); completed jobs are kept a day so their ids still
 * dedupe late re-adds from the outbox.
 */
export const ACTION_JOB_OPTIONS: JobsOptions = {
  attempts: 100_000,
  backoff: { type: 'policy' },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Per-target rate limits, below the vendors' documented limits (VENDOR-NOTES.md): PagerDuty
 * about 120 events/min per routing key, Slack about 1 message/s per channel, Teams about 4
 * requests/s per webhook; Jira and ServiceNow limits are per instance and tunable.
 */
export const DEFAULT_RATE_LIMITS: Record<Target, { max: number; duration: number }> = {
  pagerduty: { max: 100, duration: 60_000 },
  slack: { max: 1, duration: 1_000 },
  teams: { max: 3, duration: 1_000 },
  jira: { max: 10, duration: 1_000 },
  servicenow: { max: 10, duration: 1_000 },
  email: { max: 5, duration: 1_000 },
};

export function createActionQueues(connection: Redis, prefix: string, targets: readonly Target[]): Map<Target, Queue> {
  return new Map(targets.map((t) => [t, new Queue(actionQueueName(t), { connection, prefix })]));
}
