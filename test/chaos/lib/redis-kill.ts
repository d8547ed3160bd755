import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEventsQueue } from '../../../src/queue/events-queue.ts';
import { eventJobId } from '../../../src/queue/job-id.ts';
import { keys as makeKeys } from '../../../src/store/keys.ts';
import { startChildService, type ChildService } from '../../helpers/child-service.ts';
import { uniquePrefix } from '../../helpers/service.ts';
import { pct, sleep, type Sent } from './load.ts';
import { threadLoad, type ThreadLoad } from './thread-load.ts';
import { drained, processedIds } from './processed.ts';
import { privateRedis, type Fsync } from './private-redis.ts';
import { startSlowRewrite } from './slow-rewrite.ts';
import { describeCycle, duringOutage, intake503s, outageCycles, type CycleReport } from './outage-cycles.ts';

/**
 * ARCHITECTURE §5 "a 202 means the event is in Redis": the private Redis is SIGKILLed and
 * restarted on the same port and dir, `cycles` times, under a steady webhook load. "Processed"
 * is the worker's recent-event stream (`<prefix>:eventlog`, appended first by every events job,
 * kept 7 days), read once the queue is drained: exact, unlike the trimmed completed set.
 * The service runs as child processes (`node src/app/main.ts`), so the load generator's 500 requests
 * a second do not share its event loop: a slow 503 is the service's, not the test's. By default
 * as production runs it, a `web` process for the intake and a `worker` process: in one `all`
 * process at 500 req/s on 2 cores, the worker catching up after each restart keeps the event loop
 * busy, and the intake's 503s wait behind it (p99 315–381 ms in the full-size run).
 */
export interface RedisKillOptions {
  readonly cycles: number;
  readonly ratePerSec: number;
  readonly upMs: number;
  readonly downMs: number;
  readonly fsync: Fsync;
  /** How long the backlog left at the end may take to drain (fsync `always` processes slower than it accepts). */
  readonly drainTimeoutMs?: number;
  /** `split` (default): a web and a worker process; `all`: one process doing both. */
  readonly roles?: 'split' | 'all';
  /** The service's MIM_INTAKE_REDIS_TIMEOUT_MS (its default, 1 s, when unset). */
  readonly intakeTimeoutMs?: number;
  /**
   * Every n-th cycle (the 2nd, then every n-th after it) kills Redis during an AOF rewrite the run
   * starts (slow-rewrite.ts); 0: never. Default 3.
   */
  readonly slowRewriteEvery?: number;
}

export interface RedisKillResult {
  readonly acknowledged: number;
  readonly processed: number;
  readonly missing: Sent[];
  /** Answers other than 202/503 (errors, time-outs, 5xx other than 503). */
  readonly unexpected: Sent[];
  /** Requests sent and answered while Redis was down that were not 503. */
  readonly notRefused: Sent[];
  readonly outage503Max: number;
  readonly outage503P99: number;
  readonly backMs: number[];
  readonly line: string;
  readonly drainedMs: number | undefined;
  readonly failedJobs: number;
  readonly killedAt: number[];
  /** Per missing delivery: when it was acknowledged, how long before the next kill, what Redis still holds. */
  readonly missingDetail: string[];
  /** A copy of the private redis-server's log when something went missing. */
  readonly redisLog: string | undefined;
  /**
   * The intake's own view (its `mim_intake_unavailable_seconds` histogram): 503s answered, and of
   * them within 100 ms.
   */
  readonly server503: { readonly total: number; readonly within100ms: number };
  /** Every cycle's 503s, event-loop delays and AOF state (outage-cycles.ts). */
  readonly cycles: readonly CycleReport[];
  /** describeCycle() of each cycle whose slowest 503 took over 100 ms, and a tally of what they had in common. */
  readonly slowCycles: readonly string[];
  /** The intake's 503s that waited out its deadline (`timed_out`): a gone Redis should never cost that. */
  readonly timedOut: number;
}

/**
 * The web process's 503s over the whole run, every reason together: how many, and how many took ≤
 * 100 ms from route to answer.
 */
function server503s(reasons: Readonly<Record<string, readonly [number, number]>>): {
  total: number;
  within100ms: number;
} {
  const byReason = Object.values(reasons);
  return { total: byReason.reduce((n, [, t]) => n + t, 0), within100ms: byReason.reduce((n, [w]) => n + w, 0) };
}

const tally = (xs: readonly Sent[]) =>
  xs.reduce<Record<string, number>>((acc, s) => {
    const k = s.status ? String(s.status) : (s.error ?? 'no answer').slice(0, 40);
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

export async function redisKill(opts: RedisKillOptions): Promise<RedisKillResult> {
  const redis = await privateRedis(opts.fsync);
  const children: ChildService[] = [];
  const keys = makeKeys(uniquePrefix());
  const roles = opts.roles ?? 'split';
  let running: ThreadLoad | undefined;
  try {
    // Jobs active at the kill keep their lock until it lapses; 2 s (as the sandbox runs) instead of
    // the 30 s default, so the stalled check hands them on within seconds, not a minute.
    const env = {
      REDIS_URL: redis.url,
      MIM_REDIS_PREFIX: keys.prefix,
      LOG_LEVEL: 'fatal',
      MIM_WORKER_LOCK_MS: '2000',
      MIM_WORKER_STALLED_INTERVAL_MS: '2000',
      ...(opts.intakeTimeoutMs ? { MIM_INTAKE_REDIS_TIMEOUT_MS: String(opts.intakeTimeoutMs) } : {}),
    };
    for (const role of roles === 'split' ? ['web', 'worker'] : ['all'])
      children.push(await startChildService({ ...env, MIM_ROLE: role }));
    // Room for every cycle taking its longest (the back poll gives up after 15 s).
    const load = threadLoad(
      children[0]!.url,
      opts.ratePerSec,
      'k',
      (opts.cycles * (opts.upMs + opts.downMs + 15_000) + 2 * opts.upMs) / 1000,
    );
    running = load;
    const outages: Array<{ from: number; to: number }> = [];
    const back: number[] = [];
    const killedAt: number[] = [];
    const admin = redis.client();
    const cycles = outageCycles(children[0]!.url, admin, redis.port, () => load.takeLoopMaxMs());
    const every = opts.slowRewriteEvery ?? 3;
    for (let i = 0; i < opts.cycles; i++) {
      await sleep(opts.upMs);
      const forced = every > 0 && i % every === 1 && (await startSlowRewrite(admin));
      await cycles.beforeKill(forced);
      const killIdx = load.count();
      killedAt.push(Date.now());
      await redis.kill();
      cycles.afterKill();
      const from = Date.now();
      await sleep(opts.downMs);
      const to = Date.now();
      outages.push({ from, to });
      await redis.start();
      const up = Date.now();
      // Back: the first 202 to a request sent after Redis answered again. Only the requests sent
      // since are scanned (a scan from the start every 5 ms cost the generator more each cycle).
      const deadline = up + 15_000;
      let scanFrom = load.count();
      while (scanFrom > 0 && load.at(scanFrom - 1).sentAt >= up) scanFrom--;
      for (;;) {
        let first: Sent | undefined;
        for (let j = scanFrom; j < load.count() && !first; j++) if (load.at(j).status === 202) first = load.at(j);
        if (first) {
          back.push((first.doneAt ?? up) - up);
          break;
        }
        if (load.overflowed())
          throw new Error('the load generator ran out of room for its records; raise the capacity in redisKill');
        if (Date.now() > deadline) {
          back.push(Number.POSITIVE_INFINITY);
          break;
        }
        await sleep(5);
      }
      await cycles.endCycle(load.since(killIdx), { from, to });
    }
    await sleep(opts.upMs);
    await load.stop();
    running = undefined;
    const sent = load.since(0);

    const reader = redis.client();
    const queue = createEventsQueue(reader, keys.prefix);
    const drainTimeoutMs = opts.drainTimeoutMs ?? 30_000;
    const drainedMs = await drained(queue, drainTimeoutMs);
    const processed = await processedIds(reader, keys.prefix);
    const acked = sent.filter((s) => s.status === 202);
    const missing = acked.filter((s) => !processed.has(s.deliveryId));
    // What Redis still holds of each missing one: its job and its duplicate record.
    const missingDetail = await Promise.all(
      missing.slice(0, 50).map(async (s) => {
        const jobId = eventJobId('servicenow', s.deliveryId);
        const [job, dedup] = await Promise.all([
          reader.exists(`${keys.prefix}:events:${jobId}`),
          reader.exists(keys.dedup('servicenow', jobId)),
        ]);
        const lastKill = killedAt.filter((k) => k >= s.sentAt).at(0);
        return (
          `${s.deliveryId}: sent ${new Date(s.sentAt).toISOString()}, 202 at ` +
          `${new Date(s.doneAt ?? 0).toISOString()}, next kill ` +
          `${lastKill ? `${lastKill - (s.doneAt ?? 0)} ms later` : 'none'}; job ${job ? 'present' : 'absent'}, ` +
          `duplicate record ${dedup ? 'present' : 'absent'}`
        );
      }),
    );
    let redisLog: string | undefined;
    if (missing.length) {
      redisLog = path.join(tmpdir(), `mim-chaos-redis-kill-${opts.fsync}-${Date.now()}.log`);
      copyFileSync(path.join(redis.dir, 'redis.log'), redisLog);
    }
    // An answer other than 202 or 503 breaks the contract. A request the load generator itself gave
    // up on (5 s, on a saturated machine) got no answer: like any sender it would retry, and it is
    // counted in the line, not as a broken promise; an acknowledged one is checked like the rest.
    const gaveUp = sent.filter((s) => s.status === 0 && /aborted due to timeout/i.test(s.error ?? ''));
    const unexpected = sent.filter((s) => s.status !== 202 && s.status !== 503 && !gaveUp.includes(s));
    const during = sent.filter((s) => outages.some((o) => duringOutage(s, o)));
    const notRefused = during.filter((s) => s.status !== 503 && !gaveUp.includes(s));
    const refusedMs = during.filter((s) => s.status === 503).map((s) => (s.doneAt ?? 0) - s.sentAt);
    const outage503Max = refusedMs.length ? Math.max(...refusedMs) : 0;
    const outage503P99 = pct(refusedMs, 99);
    const failed = await queue.getFailedCount();
    const intake = await intake503s(children[0]!.url);
    const server503 = server503s(intake.reasons);
    const timedOut = intake.reasons.timed_out?.[1] ?? 0;
    const rewrites = cycles.reports().filter((c) => c.rewritingAtKill);
    const held = rewrites.filter((c) => c.rewriteChildrenAfterKill > 0);
    const maxOf = (cs: readonly CycleReport[]) => (cs.length ? Math.max(...cs.map((c) => c.maxMs)) : 0);
    await queue.close();
    const slow = cycles.reports().filter((c) => c.maxMs > 100);
    const slowCycles = slow.length
      ? [
          ...slow.map(describeCycle),
          `${slow.length} of ${opts.cycles} cycles had a 503 over 100 ms; of them, the load generator's loop ran > ` +
            `100 ms late in ${slow.filter((c) => c.generatorLoopMaxMs > 100).length}, ` +
            `the web process's in ${slow.filter((c) => c.webLoopMaxMs > 100).length}, the intake itself answered a ` +
            `503 in > 100 ms in ${slow.filter((c) => Object.values(c.server).some(([w, t]) => t > w)).length}, ` +
            `and Redis was rewriting its AOF at the kill in ${slow.filter((c) => c.rewritingAtKill).length} ` +
            `(${cycles.reports().filter((c) => c.rewritingAtKill).length} of all cycles)`,
        ]
      : [];
    const drainTimeoutS = Math.round(drainTimeoutMs / 1000);
    const line =
      `chaos redis-kill (appendfsync ${opts.fsync}, ` +
      `${roles === 'split' ? 'web + worker processes' : 'one all process'}, intake Redis time-out ` +
      `${opts.intakeTimeoutMs ?? 1000} ms): ${opts.cycles} cycles at ${opts.ratePerSec} req/s, ${sent.length} sent, ` +
      `${acked.length} acknowledged, ${processed.size} processed, ${missing.length} missing, ${unexpected.length} ` +
      `unexpected answers${unexpected.length ? ` ${JSON.stringify(tally(unexpected))}` : ''}, ${gaveUp.length} ` +
      `given up by the client after 5 s, ` +
      `${during.length} sent during outages (${notRefused.length} not 503), 503 in p99 ${outage503P99} ms / max ` +
      `${outage503Max} ms ` +
      `(the intake's own histogram: ${server503.within100ms} of ${server503.total} 503s answered in ≤ 100 ms, ` +
      `${timedOut} timed out), ` +
      `${rewrites.length} kills during an AOF rewrite (${rewrites.filter((c) => c.forcedRewrite).length} forced; ` +
      `the child outlived the kill in ${held.length}; their 503 max ${maxOf(rewrites)} ms, the other cycles' ` +
      `${maxOf(cycles.reports().filter((c) => !c.rewritingAtKill))} ms), ` +
      `drained ${drainedMs === undefined ? `NOT within ${drainTimeoutS} s` : `in ${drainedMs} ms`}, ` +
      `back in ${back.length ? `max ${Math.max(...back)} ms (each: ${back.join(', ')})` : 'n/a'}, ` +
      `${failed} failed jobs`;
    return {
      acknowledged: acked.length,
      processed: processed.size,
      missing,
      unexpected,
      notRefused,
      outage503Max,
      outage503P99,
      backMs: back,
      line,
      killedAt,
      missingDetail,
      redisLog,
      drainedMs,
      failedJobs: failed,
      server503,
      cycles: cycles.reports(),
      slowCycles,
      timedOut,
    };
  } finally {
    // A run that threw left the generator thread sending; it would keep the process alive.
    await running?.terminate();
    for (const child of children) await child.kill();
    await redis.close();
  }
}
