import type { RedisClient } from '../../../src/lib/redis-client.ts';
import type { EventsQueue } from '../../../src/queue/events-queue.ts';
import { sleep } from './load.ts';

/**
 * Delivery ids the events worker processed: its recent-event stream (`<prefix>:eventlog`), which
 * every events job appends to first and which is kept for 7 days, so (unlike BullMQ's trimmed
 * completed set) it is exact at any volume. Read it once the queue is drained.
 */
export async function processedIds(redis: RedisClient, prefix: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let from = '-';
  for (;;) {
    const rows = await redis.xrange(`${prefix}:eventlog`, from, '+', 'COUNT', 5_000);
    for (const [, fields] of rows) ids.add((JSON.parse(fields[1] ?? '{}') as { deliveryId?: string }).deliveryId ?? '');
    if (rows.length < 5_000) return ids;
    from = `(${rows[rows.length - 1]![0]}`;
  }
}

/** Waits until nothing is waiting, active or delayed (twice in a row); the ms it took, or undefined. */
export async function drained(queue: EventsQueue, timeoutMs = 30_000): Promise<number | undefined> {
  const start = Date.now();
  let quiet = 0;
  while (Date.now() - start < timeoutMs) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    quiet = Object.values(counts).every((n) => n === 0) ? quiet + 1 : 0;
    if (quiet >= 2) return Date.now() - start;
    await sleep(250);
  }
  return undefined;
}
