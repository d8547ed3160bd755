import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { actionQueueName, TARGETS } from '../../src/domain/action.ts';
import { QUEUE_EVENTS } from '../../src/queue/events-queue.ts';
import { QUEUE_RECONCILE } from '../../src/queue/reconcile-queue.ts';
import { TIMERS_QUEUE } from '../../src/queue/timers-queue.ts';
import { keys } from '../../src/store/keys.ts';

/**
 * "Nothing more happened" is asserted once the service has nothing left to do, instead of after
 * a fixed sleep (too short on a loaded machine, wasted time on an idle one): the outbox empty and
 * every BullMQ queue under the service's prefix with no job waiting, active, delayed, prioritized
 * or waiting for children, seen twice in a row a settle window apart (a job between two queues,
 * an event about to cause an action, is caught by the second look).
 */

/** Every queue the service creates under its prefix (src/queue/, src/domain/action.ts). */
export const SERVICE_QUEUES: readonly string[] = [
  QUEUE_EVENTS,
  QUEUE_RECONCILE,
  TIMERS_QUEUE,
  ...TARGETS.map(actionQueueName),
];

export interface IdleOptions {
  /** The service's key prefix (`MIM_REDIS_PREFIX`). */
  readonly prefix: string;
  /** Default: TEST_REDIS_URL, else the local Redis. */
  readonly redisUrl?: string;
  /** Queues whose jobs do not count, e.g. `timers` when a test schedules timers on purpose. */
  readonly ignoreQueues?: readonly string[];
  /**
   * Count a delayed job only when it is due within this many ms. Timers (comms cadence, ack
   * escalation, the 15-minute checklist) and the reconciliation schedule wait minutes by design
   * and would never let the system look idle; a retry backoff or a `Retry-After` is due soon.
   * Default: every delayed job counts.
   */
  readonly delayedDueWithinMs?: number;
  /** Work outside Redis still in flight (a simulator's webhook deliveries): a label per busy thing. */
  readonly alsoBusy?: () => readonly string[] | Promise<readonly string[]>;
  /** Default 20 s. */
  readonly timeoutMs?: number;
  /** The gap between the two idle looks; default 150 ms. */
  readonly settleMs?: number;
}

/** The system did not go idle in time; `busy` names what was still working at the last look. */
export class NotIdleError extends Error {
  readonly code = 'NOT_IDLE';
  readonly busy: readonly string[];
  constructor(timeoutMs: number, busy: readonly string[]) {
    super(`the system was not idle within ${timeoutMs} ms; still busy: ${busy.join('; ')}`);
    this.name = 'NotIdleError';
    this.busy = busy;
  }
}

const COUNTED = ['wait', 'active', 'prioritized', 'waiting-children'] as const;

/** Resolves once the service is idle (see above); throws NotIdleError after the timeout. */
export async function waitForIdle(opts: IdleOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const settleMs = opts.settleMs ?? 150;
  const redis = new Redis(opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  const ignored = new Set(opts.ignoreQueues ?? []);
  const queues = SERVICE_QUEUES.filter((n) => !ignored.has(n)).map(
    (name) => new Queue(name, { connection: redis, prefix: opts.prefix }),
  );
  const outbox = keys(opts.prefix).outbox;

  const busyNow = async (): Promise<string[]> => {
    const busy: string[] = [];
    const queued = await redis.llen(outbox);
    if (queued > 0) busy.push(`outbox: ${queued}`);
    for (const q of queues) {
      const counts: Record<string, number> = await q.getJobCounts(...COUNTED);
      counts.delayed =
        opts.delayedDueWithinMs === undefined
          ? await q.getDelayedCount()
          : await q.getDelayedCount(Date.now() + opts.delayedDueWithinMs);
      const nonzero = Object.entries(counts).filter(([, n]) => n > 0);
      if (nonzero.length) busy.push(`${q.name}: ${nonzero.map(([state, n]) => `${n} ${state}`).join(', ')}`);
    }
    busy.push(...((await opts.alsoBusy?.()) ?? []));
    return busy;
  };

  try {
    const deadline = Date.now() + timeoutMs;
    let idleOnce = false;
    for (;;) {
      const busy = await busyNow();
      if (busy.length === 0 && idleOnce) return;
      idleOnce = busy.length === 0;
      if (Date.now() > deadline) throw new NotIdleError(timeoutMs, busy.length ? busy : ['(idle only once)']);
      await new Promise((r) => setTimeout(r, settleMs));
    }
  } finally {
    await Promise.allSettled(queues.map((q) => q.close()));
    redis.disconnect();
  }
}
