import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { COMPLETED_EVENTS_KEPT, createEventsQueue } from '../../../src/queue/events-queue.ts';
import type { Retention } from '../../../src/app/service.ts';
import { startChildService } from '../../helpers/child-service.ts';
import { uniquePrefix } from '../../helpers/service.ts';
import { memoryOf } from './service-metrics.ts';
import { servicenowLoad, sleep } from './load.ts';
import { drained } from './processed.ts';
import { privateRedis } from './private-redis.ts';

/**
 * Steady load for a long time on a private Redis (so its used memory is this run's alone),
 * against the service as its own process (soak-service.ts; so heap and RSS are the service's,
 * from its /metrics, not the load generator's, which keeps every answer): heap, RSS and Redis
 * used memory sampled every `sampleMs`, compared after `warmupMs` with the first sample after it;
 * stalled jobs counted from BullMQ's `stalled` events.
 *
 * Every delivery is kept on purpose for a while (its dedup key 72 h, its event in the log 7 days,
 * a new record's snapshot 90 days), so with production windows Redis grows for days by design and
 * a flat-memory check could never pass. The soak shortens those windows (and the 10,000 completed
 * events BullMQ keeps, 50 s of deliveries at 200/s) to `retentionMs`
 * (below the warm-up), so steady state comes within the warm-up and growth after it is a leak;
 * it also measures what each delivery costs under the production windows, for capacity planning.
 */
export interface SoakOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly ratePerSec: number;
  readonly sampleMs: number;
  /**
   * The dedup, event-log and snapshot windows (and completed events kept) during the soak; must be
   * shorter than `warmupMs`.
   */
  readonly retentionMs: number;
}
/** Bytes of Redis used memory each kind of retained item takes (MEMORY USAGE, averaged). */
export interface RetainedBytes {
  readonly dedupKey: number;
  readonly eventLogEntry: number;
  readonly snapshot: number;
}
export interface Sample {
  readonly atS: number;
  readonly heap: number;
  readonly rss: number;
  readonly redis: number;
  readonly backlog: number;
}
export interface SoakResult {
  readonly samples: Sample[];
  /**
   * After warm-up, as a fraction: heap troughs and RSS medians of the first vs the last third;
   * Redis the largest deviation from the first sample.
   */
  readonly drift: { heap: number; rss: number; redis: number };
  readonly stalled: number;
  readonly sent: number;
  readonly acknowledged: number;
  readonly retained: RetainedBytes;
  readonly line: string;
}

async function averageUsage(redis: Redis, match: string): Promise<number> {
  const [, found] = await redis.scan('0', 'MATCH', match, 'COUNT', 5_000);
  const some = found.slice(0, 200);
  if (!some.length) return 0;
  const sizes = await Promise.all(some.map((k) => redis.memory('USAGE', k, 'SAMPLES', '0')));
  return Math.round(sizes.reduce<number>((a, b) => a + Number(b ?? 0), 0) / some.length);
}

async function retainedBytes(redis: Redis, prefix: string): Promise<RetainedBytes> {
  const log = `${prefix}:eventlog`;
  const [streamBytes, entries] = await Promise.all([redis.memory('USAGE', log, 'SAMPLES', '0'), redis.xlen(log)]);
  return {
    dedupKey: await averageUsage(redis, `${prefix}:dedup:*`),
    eventLogEntry: entries ? Math.round(Number(streamBytes ?? 0) / entries) : 0,
    snapshot: await averageUsage(redis, `${prefix}:snapshot:*`),
  };
}

export async function soak(opts: SoakOptions): Promise<SoakResult> {
  if (opts.retentionMs >= opts.warmupMs)
    throw new Error(
      `retentionMs (${opts.retentionMs}) must be below warmupMs (${opts.warmupMs}): memory is compared once the ` +
        `windows are full`,
    );
  const redis = await privateRedis();
  const seconds = Math.max(1, Math.round(opts.retentionMs / 1000));
  // Completed events are kept by count (production's COMPLETED_EVENTS_KEPT): at most the window's worth of deliveries.
  const completedEvents = Math.min(COMPLETED_EVENTS_KEPT.count, Math.max(100, Math.round(opts.ratePerSec * seconds)));
  const retention: Retention = {
    dedupSeconds: seconds,
    eventLogMs: opts.retentionMs,
    snapshotSeconds: seconds,
    completedEvents,
  };
  const prefix = uniquePrefix();
  const svc = await startChildService(
    {
      REDIS_URL: redis.url,
      MIM_REDIS_PREFIX: prefix,
      LOG_LEVEL: 'fatal',
      MIM_SOAK_RETENTION: JSON.stringify(retention),
    },
    'test/chaos/lib/soak-service.ts',
  );
  const events = new QueueEvents('events', { connection: { url: redis.url }, prefix });
  let stalled = 0;
  events.on('stalled', () => {
    stalled++;
  });
  const reader = redis.client();
  const queue = createEventsQueue(reader, prefix);
  const samples: Sample[] = [];
  const started = Date.now();
  try {
    const load = servicenowLoad(svc.url, opts.ratePerSec, 'z');
    while (Date.now() - started < opts.durationMs) {
      await sleep(opts.sampleMs);
      const m = await memoryOf(svc.url);
      const used = Number(/^used_memory:(\d+)/m.exec(await reader.info('memory'))?.[1] ?? 0);
      const c = await queue.getJobCounts('wait', 'active', 'delayed');
      samples.push({
        atS: Math.round((Date.now() - started) / 1000),
        heap: m.heapUsed,
        rss: m.rss,
        redis: used,
        backlog: c.wait! + c.active! + c.delayed!,
      });
    }
    const retained = await retainedBytes(reader, prefix);
    await load.stop();
    await drained(queue, 60_000);
    const after = samples.filter((s) => s.atS * 1000 >= opts.warmupMs);
    const ref = after[0] ?? samples[samples.length - 1]!;
    const dev = (k: 'heap' | 'rss' | 'redis') =>
      Math.max(0, ...after.map((s) => Math.abs(s[k] - ref[k]) / (ref[k] || 1)));
    // The heap is a sawtooth between major GCs: compare its troughs (the lowest sample of the first
    // and of the last third after warm-up), not single samples. RSS steps up and down as V8 takes
    // and returns pages (the 30-minute run's reference sample was a 235 MB dip in a 290 MB
    // plateau): compare the medians of the first and last third, which a leak moves and a dip does not.
    const third = Math.max(1, Math.floor(after.length / 3));
    const low = (xs: readonly Sample[]) => Math.min(...xs.map((x) => x.heap));
    const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const heapTroughs = after.length
      ? ([low(after.slice(0, third)), low(after.slice(-third))] as const)
      : ([ref.heap, ref.heap] as const);
    const rssMedians = after.length
      ? ([median(after.slice(0, third).map((x) => x.rss)), median(after.slice(-third).map((x) => x.rss))] as const)
      : ([ref.rss, ref.rss] as const);
    const drift = {
      heap: Math.abs(heapTroughs[1] - heapTroughs[0]) / (heapTroughs[0] || 1),
      rss: Math.abs(rssMedians[1] - rssMedians[0]) / (rssMedians[0] || 1),
      redis: dev('redis'),
    };
    const acknowledged = load.sent.filter((s) => s.status === 202).length;
    const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
    const last = samples[samples.length - 1]!;
    const pc = (x: number) => `${(x * 100).toFixed(1)}%`;
    const line =
      `chaos soak: ${Math.round(opts.durationMs / 1000)} s at ${opts.ratePerSec} events/s, ${load.sent.length} ` +
      `sent, ${acknowledged} acknowledged; ` +
      `after warm-up heap troughs ${mb(heapTroughs[0])} → ${mb(heapTroughs[1])} (${pc(drift.heap)}), RSS medians ` +
      `${mb(rssMedians[0])} → ${mb(rssMedians[1])} (${pc(drift.rss)}; samples ` +
      `${mb(Math.min(...after.map((x) => x.rss)))}–${mb(Math.max(...after.map((x) => x.rss)))}), ` +
      `Redis ${mb(ref.redis)} → ${mb(last.redis)} (${pc(drift.redis)}), max backlog ` +
      `${Math.max(...samples.map((s) => s.backlog))}, ${stalled} stalled jobs; ` +
      `windows ${seconds} s; each delivery keeps ${retained.dedupKey} B (dedup key) + ${retained.eventLogEntry} B ` +
      `(event log) + ${retained.snapshot} B (a new record's snapshot)`;
    return { samples, drift, stalled, sent: load.sent.length, acknowledged, retained, line };
  } finally {
    await events.close();
    await queue.close();
    await svc.kill();
    await redis.close();
  }
}
