import { QueueEvents } from 'bullmq';
import { startTestService } from '../../helpers/service.ts';
import { servicenowLoad, sleep } from './load.ts';
import { drained } from './processed.ts';
import { privateRedis } from './private-redis.ts';

/**
 * Steady load for a long time on a private Redis (so its used memory is this run's alone):
 * heap, RSS and Redis used memory sampled every `sampleMs`, compared after `warmupMs` with the
 * first sample after it; stalled jobs counted from BullMQ's `stalled` events.
 */
export interface SoakOptions { readonly durationMs: number; readonly warmupMs: number; readonly ratePerSec: number; readonly sampleMs: number }
export interface Sample { readonly atS: number; readonly heap: number; readonly rss: number; readonly redis: number; readonly backlog: number }
export interface SoakResult {
  readonly samples: Sample[];
  /** Largest deviation from the first post-warm-up sample, as a fraction. */
  readonly drift: { heap: number; rss: number; redis: number };
  readonly stalled: number;
  readonly sent: number;
  readonly acknowledged: number;
  readonly line: string;
}

export async function soak(opts: SoakOptions): Promise<SoakResult> {
  const redis = await privateRedis();
  const svc = await startTestService({ REDIS_URL: redis.url, LOG_LEVEL: 'fatal' }, { canaryIntervalMs: 5_000 });
  const events = new QueueEvents('events', { connection: { url: redis.url }, prefix: svc.keys.prefix });
  let stalled = 0;
  events.on('stalled', () => { stalled++; });
  const reader = redis.client();
  const samples: Sample[] = [];
  const started = Date.now();
  try {
    const load = servicenowLoad(svc.url ?? '', opts.ratePerSec, 'z');
    while (Date.now() - started < opts.durationMs) {
      await sleep(opts.sampleMs);
      const m = process.memoryUsage();
      const used = Number(/^used_memory:(\d+)/m.exec(await reader.info('memory'))?.[1] ?? 0);
      const c = await svc.queue.getJobCounts('wait', 'active', 'delayed');
      samples.push({ atS: Math.round((Date.now() - started) / 1000), heap: m.heapUsed, rss: m.rss, redis: used, backlog: c.wait! + c.active! + c.delayed! });
    }
    await load.stop();
    await drained(svc.queue, 60_000);
    const after = samples.filter((s) => s.atS * 1000 >= opts.warmupMs);
    const ref = after[0] ?? samples[samples.length - 1]!;
    const dev = (k: 'heap' | 'rss' | 'redis') => Math.max(0, ...after.map((s) => Math.abs(s[k] - ref[k]) / (ref[k] || 1)));
    // The heap is a sawtooth between major GCs: compare its troughs (the lowest sample of the first
    // and of the last third after warm-up), not single samples.
    const third = Math.max(1, Math.floor(after.length / 3));
    const low = (xs: readonly Sample[]) => Math.min(...xs.map((x) => x.heap));
    const heapTroughs = after.length ? [low(after.slice(0, third)), low(after.slice(-third))] as const : [ref.heap, ref.heap] as const;
    const drift = { heap: Math.abs(heapTroughs[1] - heapTroughs[0]) / (heapTroughs[0] || 1), rss: dev('rss'), redis: dev('redis') };
    const acknowledged = load.sent.filter((s) => s.status === 202).length;
    const mb = (n: number) => `${Math.round(n / 1048576)} MB`;
    const last = samples[samples.length - 1]!;
    const pc = (x: number) => `${(x * 100).toFixed(1)}%`;
    const line = `chaos soak: ${Math.round(opts.durationMs / 60_000)} min at ${opts.ratePerSec} events/s, ${load.sent.length} sent, ${acknowledged} acknowledged; ` +
      `after warm-up heap troughs ${mb(heapTroughs[0])} → ${mb(heapTroughs[1])} (${pc(drift.heap)}), RSS ${mb(ref.rss)} → ${mb(last.rss)} (${pc(drift.rss)}), ` +
      `Redis ${mb(ref.redis)} → ${mb(last.redis)} (${pc(drift.redis)}), max backlog ${Math.max(...samples.map((s) => s.backlog))}, ${stalled} stalled jobs`;
    return { samples, drift, stalled, sent: load.sent.length, acknowledged, line };
  } finally {
    await events.close();
    await svc.stop();
    await redis.close();
  }
}
