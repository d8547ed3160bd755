import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../../lib/redis-client.ts';
import type { ActionsSettings } from '../../config/files/schema-rules.ts';
import type { Logger } from '../../observability/logger.ts';
import { durationMs } from '../../lib/duration.ts';
import { actionQueueName, type Target } from '../../domain/action.ts';
import { retryPolicyFrom, type RetryPolicy } from './retry-policy.ts';

/**
 * Job defaults for actions: retries are decided by retry-policy.ts (backoff with jitter, the
 * vendor's Retry-After, the horizon of rules.yaml `actions.retry`); completed jobs are kept a day
 * so their ids still dedupe late re-adds from the outbox. The attempt count must never end
 * retrying before the horizon does (BullMQ would fail the job without a dead letter), and the
 * producer does not know the workers' policy: 1e9 attempts at the smallest delay the schema
 * allows (half of a 100 ms base) last over a year.
 */
export const ACTION_JOB_OPTIONS: JobsOptions = {
  attempts: 1_000_000_000,
  backoff: { type: 'policy' },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A BullMQ worker limiter: at most `max` jobs start per `duration` ms, counted in Redis for all workers of the queue.
 */
export interface RateLimit {
  readonly max: number;
  readonly duration: number;
}

/**
 * Per-target rate limits, below the vendors' documented limits (docs/connectors.md): PagerDuty
 * about 120 events/min per routing key, Teams about 4 requests/s per webhook; Jira and ServiceNow
 * limits are per instance and tunable. Slack's is the ceiling for all its channels together: each
 * channel is also held to about one message per second on its own (CHANNEL_LIMITS in
 * channel-gate.ts). They are the defaults of rules.yaml `actions.rateLimits` (a unit test keeps
 * the two equal).
 */
export const DEFAULT_RATE_LIMITS: Record<Target, RateLimit> = {
  pagerduty: { max: 100, duration: 60_000 },
  slack: { max: 5, duration: 1_000 },
  teams: { max: 3, duration: 1_000 },
  jira: { max: 10, duration: 1_000 },
  servicenow: { max: 10, duration: 1_000 },
  email: { max: 5, duration: 1_000 },
};

/**
 * The limiter and retry policy of one target's worker, from rules.yaml `actions`. BullMQ takes
 * both when the worker is created, so a config reload does not change them: they are logged
 * here, at start, and apply from the next start of the worker process.
 */
export function actionWorkerLimits(
  settings: ActionsSettings,
  target: Target,
  logger: Logger,
): { limiter: RateLimit; policy: RetryPolicy } {
  const { max, per } = settings.rateLimits[target];
  const limiter = { max, duration: durationMs(per) };
  const policy = retryPolicyFrom(settings.retry);
  logger.info(
    { target, limiter, policy },
    'action worker limits (from rules.yaml actions; applied until the worker restarts)',
  );
  return { limiter, policy };
}

export function createActionQueues(
  connection: RedisClient,
  prefix: string,
  targets: readonly Target[],
): Map<Target, Queue> {
  return new Map(targets.map((t) => [t, new Queue(actionQueueName(t), { connection, prefix })]));
}
