import type { Redis } from 'ioredis';
import { sleep } from './load.ts';

/**
 * Starts an AOF rewrite whose forked child outlives a SIGKILL of its parent by about `childMs`,
 * so a Redis-kill cycle can hit the case a natural rewrite hits only now and then (14 of 200
 * cycles in a full-size run): the child holds the clients' sockets open and nothing answers.
 * The child reports to its parent after its first key, then every 1,024 keys, and exits at the
 * first report that finds the parent gone ("Child failed reporting info to parent"), so it
 * lives ~1,024 keys' worth of `rdb-key-save-delay` (Redis's own test knob, µs per key) past the
 * kill. The setting is not persisted: the restarted Redis runs without it. False when Redis's
 * own rewrite was already running (its child was forked without the delay).
 */
export async function startSlowRewrite(client: Redis, childMs = 300): Promise<boolean> {
  await client.config('SET', 'rdb-key-save-delay', String(Math.round((childMs * 1000) / 1024)));
  let started = true;
  try {
    await client.bgrewriteaof();
  } catch (err) {
    // Redis started one of its own (auto-aof-rewrite): the kill still comes during a rewrite.
    if (!/already in progress/i.test((err as Error).message)) throw err;
    started = false;
  }
  const deadline = Date.now() + 2_000;
  while (!/^aof_rewrite_in_progress:1/m.test(await client.info('persistence'))) {
    if (Date.now() > deadline) throw new Error('BGREWRITEAOF did not start within 2 s');
    await sleep(5);
  }
  // Past the child's first report: a kill before it ends the child at that report.
  await sleep(20);
  return started;
}
