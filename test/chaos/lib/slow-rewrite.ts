import type { Redis } from 'ioredis';
import { sleep } from './load.ts';

/**
 * Starts an AOF rewrite whose forked child outlives a SIGKILL of its parent, so a Redis-kill
 * cycle can hit the case a natural rewrite hits only now and then (14 of 200 cycles in a
 * full-size run): the child holds the clients' sockets open and nothing answers. The child
 * reports to its parent after its first key, then at the first multiple of 1,024 keys a second
 * or more later, and exits at the first report that finds the parent gone ("Child failed
 * reporting info to parent"); otherwise when it has written every key. `rdb-key-save-delay`
 * (Redis's own test knob, µs per key) slows it: at `usPerKey` = 300 it lives on for a few
 * hundred ms to ~1.2 s past the kill, depending on the dataset's size. The setting is not
 * persisted: the restarted Redis runs without it. False when Redis's own rewrite was already
 * running (its child was forked without the delay).
 */
export async function startSlowRewrite(client: Redis, usPerKey = 300): Promise<boolean> {
  await client.config('SET', 'rdb-key-save-delay', String(usPerKey));
  try {
    await client.bgrewriteaof();
  } catch (err) {
    // Redis started one of its own (auto-aof-rewrite): the kill still comes during a rewrite.
    if (!/already in progress/i.test((err as Error).message)) throw err;
    // Not waited for: its child has no delay and may be done within a few hundred ms, before it
    // is ever seen reporting (a full-size run once threw here for that, on a faster machine).
    return false;
  }
  // Until the parent has the child's first report (read in its cron, every 100 ms): killed
  // before that report, the child would end at it, at once.
  const deadline = Date.now() + 2_000;
  for (;;) {
    const info = await client.info('persistence');
    if (
      /^aof_rewrite_in_progress:1/m.test(info) &&
      Number(/^current_save_keys_processed:(\d+)/m.exec(info)?.[1] ?? 0) > 0
    )
      break;
    if (Date.now() > deadline)
      throw new Error('the AOF rewrite did not start, or its child did not report, within 2 s');
    await sleep(5);
  }
  return true;
}
