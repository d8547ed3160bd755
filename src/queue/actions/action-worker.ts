import { DelayedError, RateLimitError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../../lib/redis-client.ts';
import { z } from 'zod';
import { isConnectorError } from '../../connectors/connector-error.ts';
import type { Logger } from '../../observability/logger.ts';
import { actionsTotal } from '../../observability/metrics.ts';
import {
  type ActionEnvelope,
  ActionJob,
  actionQueueName,
  type ActionExecutor,
  type LinkResult,
  type Target,
} from '../../domain/action.ts';
import { CHANNEL_LIMITS, createChannelGate, type ChannelGate, type ChannelLimit } from './channel-gate.ts';
import type { DeadLetters } from './dead-letters.ts';
import type { WorkerTiming } from '../worker-timing.ts';
import { backoffDelay, decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';

/** Where results and failures are written: the major incident's links and timeline. */
export interface ActionRecorder {
  link(majorIncidentId: string, link: LinkResult): Promise<void>;
  record(majorIncidentId: string, incidentKey: string): Promise<void>;
  timeline(majorIncidentId: string, kind: string, target: Target, detail: Record<string, unknown>): Promise<void>;
  /** Deterministic job ids, so a retried action adds its follow-ups once. */
  enqueue?(jobs: readonly ActionJob[]): Promise<void>;
}

export interface ActionWorkerDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly target: Target;
  readonly execute: ActionExecutor;
  readonly deadLetters: DeadLetters;
  readonly record: ActionRecorder;
  readonly logger: Logger;
  /** The whole-queue ceiling (BullMQ's limiter): for Slack, the workspace-wide one. */
  readonly limiter: { max: number; duration: number };
  /** A limit per channel on top (channel-gate.ts); default CHANNEL_LIMITS[target], `false` for none. */
  readonly channelLimit?: ChannelLimit | false;
  readonly policy?: RetryPolicy;
  readonly concurrency?: number;
  readonly timing?: WorkerTiming;
}

/** Thrown to retry after a delay the policy chose; the worker's backoff strategy reads it. */
class RetryLater extends Error {
  readonly delayMs: number;
  constructor(code: string, delayMs: number, cause: unknown) {
    super(`retry in ${delayMs} ms (${code})`, { cause });
    this.delayMs = delayMs;
  }
}

/** Job progress where the worker counts the times the channel gate put the job back before it ran. */
const Deferrals = z.looseObject({ channelDeferrals: z.number().int().min(0) });
const deferralsOf = (job: Job): number => {
  const parsed = Deferrals.safeParse(job.progress);
  return parsed.success ? parsed.data.channelDeferrals : 0;
};

export function startActionWorker(deps: ActionWorkerDeps): Worker {
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  const { target } = deps;
  let worker: Worker;
  const channelLimit = deps.channelLimit ?? CHANNEL_LIMITS[target];
  const gate: ChannelGate | undefined = channelLimit
    ? createChannelGate(deps.connection, deps.prefix, target, channelLimit, deps.logger)
    : undefined;

  const deadLetter = async (job: Job, data: ActionJob | undefined, code: string, detail: string | undefined) => {
    const jobId = job.id ?? 'unknown';
    await deps.deadLetters.add({
      jobId,
      queue: actionQueueName(target),
      job: data ?? (job.data as ActionEnvelope),
      code,
      ...(detail ? { detail } : {}),
      attempts: job.attemptsMade + 1,
      firstAttemptAt: new Date(job.timestamp).toISOString(),
      deadAt: new Date().toISOString(),
    });
    if (data)
      await deps.record.timeline(data.majorIncidentId, 'action.dead_lettered', target, {
        do: data.do,
        jobId,
        code,
        ...(detail ? { detail } : {}),
      });
    actionsTotal.inc({ target, outcome: 'dead_lettered' });
  };

  const process = async (job: Job, token?: string): Promise<string> => {
    const parsed = ActionJob.safeParse(job.data);
    if (!parsed.success) {
      // The first issue with its path (`params.childKey: …`), so the letter says which field to fix; never the value.
      const issue = parsed.error.issues[0];
      await deadLetter(job, undefined, 'INVALID_JOB', issue && `${issue.path.join('.') || 'job'}: ${issue.message}`);
      throw new UnrecoverableError('invalid action job');
    }
    const data = parsed.data;
    const log = deps.logger.child({ target, jobId: job.id, majorIncidentId: data.majorIncidentId, action: data.do });
    const waitMs = gate && data.channel ? await gate.waitMs(data.channel) : 0;
    if (waitMs > 0) {
      // The channel is busy: back to the delayed set (BullMQ's documented pattern, not a failed attempt),
      // so this queue's jobs for other channels go on meanwhile.
      // https://docs.bullmq.io/patterns/process-step-jobs#delaying
      const deferrals = deferralsOf(job) + 1;
      await job.updateProgress({ channelDeferrals: deferrals });
      await job.moveToDelayed(Date.now() + waitMs, token);
      actionsTotal.inc({ target, outcome: 'channel_deferred' });
      log.debug({ channel: data.channel, waitMs, deferrals }, 'channel busy; job put back');
      throw new DelayedError();
    }
    try {
      const result = await deps.execute(data, {
        jobId: job.id ?? '',
        // Starts the channel gate put back never ran the executor, so they are not earlier attempts.
        firstTry: (job.attemptsStarted ?? 1) - deferralsOf(job) <= 1 && job.attemptsMade === 0,
      });
      if (result.orphaned) {
        actionsTotal.inc({ target, outcome: 'orphaned' });
        return 'orphaned';
      }
      for (const link of result.links ?? []) await deps.record.link(data.majorIncidentId, link);
      for (const key of result.records ?? []) await deps.record.record(data.majorIncidentId, key);
      if (result.followUps?.length) await deps.record.enqueue?.(result.followUps);
      await deps.record.timeline(data.majorIncidentId, 'action.completed', target, {
        do: data.do,
        ...(data.channel ? { channel: data.channel } : {}),
        ...result.detail,
      });
      actionsTotal.inc({ target, outcome: 'done' });
      return 'done';
    } catch (err) {
      const decision = decideRetry(err, job.attemptsMade + 1, job.timestamp, Date.now(), policy);
      const detail = isConnectorError(err) ? err.detail : undefined;
      if (decision.kind === 'permanent') {
        log.error({ code: decision.code, detail }, 'action failed permanently; moved to the dead-letter list');
        await deadLetter(job, data, decision.code, detail);
        throw new UnrecoverableError(decision.code);
      }
      if (isConnectorError(err) && err.retryAfterMs !== undefined) {
        // The vendor asked us to wait: pause the whole target queue, not just this job. For Slack a 429
        // past the per-channel limit does not say which limit it was (channel or workspace), so all wait.
        // The pause (a key in Redis every worker's moveToActive reads) holds back jobs that have not
        // started; a job already under way still sends. The channel gate starts one job per channel per
        // second, so that is another channel's post unless a job ran longer than a second
        // (test/integration/actions/slack-retry-after.test.ts).
        log.warn({ code: decision.code, waitMs: decision.delayMs }, 'vendor asked to retry later; pausing the queue');
        actionsTotal.inc({ target, outcome: 'rate_limited' });
        await worker.rateLimit(decision.delayMs);
        throw new RateLimitError();
      }
      log.warn(
        { code: decision.code, delayMs: decision.delayMs, attempt: job.attemptsMade + 1 },
        'action failed; retrying',
      );
      actionsTotal.inc({ target, outcome: 'retried' });
      throw new RetryLater(decision.code, decision.delayMs, err);
    }
  };

  worker = new Worker(actionQueueName(target), process, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 4,
    limiter: deps.limiter,
    ...deps.timing,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        err instanceof RetryLater ? err.delayMs : backoffDelay(attemptsMade, policy),
    },
  });
  worker.on('error', (err) => deps.logger.error({ err, target }, 'action worker error'));
  return worker;
}
