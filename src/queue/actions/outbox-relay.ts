import type { Queue } from 'bullmq';
import type { RedisClient } from '../../lib/redis-client.ts';
import type { Logger } from '../../observability/logger.ts';
import { ActionEnvelope, type Target } from '../../domain/action.ts';
import { actionJobId } from './action-job-id.ts';
import { ACTION_JOB_OPTIONS } from './action-queues.ts';

const BATCH = 100;

/**
 * Moves actions from the outbox (written atomically with the state change that caused them) to
 * their target's queue. Add first, then remove: a crash in between re-adds the same job id,
 * which BullMQ ignores, so nothing is lost and nothing doubles. Safe to run in every worker.
 * A batch costs three round trips whatever its size (the read, one `addBulk` per target queue
 * sent together, the removals in one pipeline), not two per action: the relay sits on the path
 * from declaration to page, and under load every round trip waits for a core.
 */
export async function drainOutbox(
  redis: RedisClient,
  outboxKey: string,
  queues: ReadonlyMap<Target, Queue>,
  logger: Logger,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const items = await redis.lrange(outboxKey, 0, BATCH - 1);
    if (items.length === 0) return moved;
    const bulks = new Map<
      Queue,
      Array<{ name: string; data: ActionEnvelope; opts: typeof ACTION_JOB_OPTIONS & { jobId: string } }>
    >();
    for (const raw of items) {
      // Routed by its envelope: a job this version cannot run is dead-lettered by its worker, not dropped here.
      const parsed = ActionEnvelope.safeParse(JSON.parse(raw));
      const queue = parsed.success ? queues.get(parsed.data.target) : undefined;
      if (parsed.success && queue) {
        // In outbox order per queue, which is the order the state changes wrote them.
        const bulk = bulks.get(queue) ?? [];
        bulk.push({
          name: parsed.data.do,
          data: parsed.data,
          opts: { ...ACTION_JOB_OPTIONS, jobId: actionJobId(parsed.data) },
        });
        bulks.set(queue, bulk);
      } else if (parsed.success) {
        // This version has no executor for the target; kept visible rather than queued to fail.
        logger.warn(
          { action: parsed.data.do, target: parsed.data.target, majorIncidentId: parsed.data.majorIncidentId },
          'no action worker for this target; action not sent',
        );
      } else {
        logger.error({ issues: parsed.error.issues }, 'malformed outbox entry dropped');
      }
    }
    await Promise.all([...bulks].map(([queue, jobs]) => queue.addBulk(jobs)));
    const removals = redis.pipeline();
    for (const raw of items) removals.lrem(outboxKey, 1, raw);
    const failed = (await removals.exec())?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    moved += items.length;
  }
}

/** Drains on demand (right after a state change) and every `intervalMs` as a backstop. */
export function startOutboxRelay(
  redis: RedisClient,
  outboxKey: string,
  queues: ReadonlyMap<Target, Queue>,
  logger: Logger,
  intervalMs = 2_000,
) {
  // Kicks coalesce: while a drain runs, any number of kicks ask for one more pass, not one each
  // (a storm kicks once per event; thousands of queued drains were seen at shutdown).
  let running: Promise<unknown> | undefined;
  let again = false;
  const kick = (): Promise<unknown> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await drainOutbox(redis, outboxKey, queues, logger);
      } while (again);
    })()
      .catch((err: unknown) => {
        logger.warn({ err }, 'outbox drain failed; retrying at the next tick');
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(kick, intervalMs);
  timer.unref();
  return { kick, stop: () => clearInterval(timer) };
}
