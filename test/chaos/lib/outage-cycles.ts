import { rewriteChildren } from './rewrite-children.ts';
import type { Redis } from 'ioredis';
import { pct, type Sent } from './load.ts';
import { scrapeMetrics } from './service-metrics.ts';

/**
 * Per Redis-kill cycle, what a slow 503 needs to be explained: the client's view (the 503s
 * answered within the outage), the intake's own (its 503s by reason, and how many took ≤ 100 ms
 * from route to answer), how late each side's event loop ran, and what Redis was doing when it
 * was killed (an AOF rewrite; its forked child outliving the SIGKILL and competing for the cores).
 */
export interface CycleReport {
  readonly cycle: number;
  readonly refused: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The web process's largest event-loop delay since the previous cycle (prom-client's monitorEventLoopDelay). */
  readonly webLoopMaxMs: number;
  /** The load generator thread's own largest event-loop delay: a late loop stamps a late `doneAt`. */
  readonly generatorLoopMaxMs: number;
  /** The intake's 503s of this cycle, by reason: [≤ 100 ms, all]. */
  readonly server: Readonly<Record<string, readonly [number, number]>>;
  readonly rewritingAtKill: boolean;
  /** The rewrite was started by the run (slow-rewrite.ts), not by Redis. */
  readonly forcedRewrite: boolean;
  /** This Redis's `redis-aof-rewrite` processes alive right after the kill. */
  readonly rewriteChildrenAfterKill: number;
}

const REASONS = ['not_connected', 'command_failed', 'timed_out', 'refused'] as const;

/** Sent after Redis went down and answered before it came back. */
export const duringOutage = (s: Sent, o: { from: number; to: number }) =>
  s.sentAt >= o.from && (s.doneAt ?? Infinity) <= o.to;

/**
 * The web process's 503s by reason, [≤ 100 ms, all] (`mim_intake_unavailable_seconds`), and its
 * loop's delay since the last scrape.
 */
export async function intake503s(url: string) {
  const value = await scrapeMetrics(url);
  const by = (reason: string) => {
    const labels = ['source="servicenow"', `reason="${reason}"`];
    return [
      value('mim_intake_unavailable_seconds_bucket', 'le="0.1"', ...labels) || 0,
      value('mim_intake_unavailable_seconds_count', ...labels) || 0,
    ] as const;
  };
  return {
    reasons: Object.fromEntries(REASONS.map((r) => [r, by(r)])),
    loopMaxMs: Math.round((value('mim_process_nodejs_eventloop_lag_max_seconds') || 0) * 1000),
  };
}

/** `generatorLoopMs` takes the load thread's largest loop delay since the last call (ThreadLoad.takeLoopMaxMs). */
export function outageCycles(webUrl: string, info: Redis, redisPort: number, generatorLoopMs: () => number) {
  const reports: CycleReport[] = [];
  let lastServer: Record<string, readonly [number, number]> = Object.fromEntries(
    REASONS.map((r) => [r, [0, 0] as const]),
  );
  let rewriting = false;
  let forced = false;
  let children = 0;
  // The previous cycle's scrape reset the web process's loop histogram (prom-client does at each collect).
  return {
    /** Just before the kill, while Redis still answers; `forcedRewrite` when the run started the rewrite. */
    async beforeKill(forcedRewrite = false): Promise<void> {
      forced = forcedRewrite;
      rewriting = /^aof_rewrite_in_progress:1/m.test(await info.info('persistence').catch(() => ''));
    },
    afterKill(): void {
      children = rewriteChildren(redisPort);
    },
    /** Once the intake accepts again, with the requests sent since the kill: closes the cycle's report. */
    async endCycle(sent: readonly Sent[], outage: { from: number; to: number }): Promise<CycleReport> {
      const refusedMs = sent
        .filter((s) => s.status === 503 && duringOutage(s, outage))
        .map((s) => s.doneAt! - s.sentAt);
      const now = await intake503s(webUrl).catch(() => undefined);
      const server = Object.fromEntries(
        REASONS.map((r) => {
          const [w, t] = now?.reasons[r] ?? lastServer[r]!;
          return [r, [w - lastServer[r]![0], t - lastServer[r]![1]] as const];
        }),
      );
      if (now) lastServer = now.reasons;
      const report: CycleReport = {
        cycle: reports.length + 1,
        refused: refusedMs.length,
        p99Ms: pct(refusedMs, 99),
        maxMs: refusedMs.length ? Math.max(...refusedMs) : 0,
        webLoopMaxMs: now?.loopMaxMs ?? -1,
        generatorLoopMaxMs: generatorLoopMs(),
        server,
        rewritingAtKill: rewriting,
        forcedRewrite: forced,
        rewriteChildrenAfterKill: children,
      };
      reports.push(report);
      return report;
    },
    reports: () => reports,
  };
}

export function describeCycle(r: CycleReport): string {
  const server =
    Object.entries(r.server)
      .filter(([, [, t]]) => t > 0)
      .map(([k, [w, t]]) => `${k} ${w}/${t}`)
      .join(', ') || 'none';
  const rewrite = r.rewritingAtKill
    ? `yes${r.forcedRewrite ? ' (forced)' : ''}, ${r.rewriteChildrenAfterKill} rewrite process(es) alive after it`
    : 'no';
  return (
    `cycle ${r.cycle}: ${r.refused} refused, 503 p99 ${r.p99Ms} / max ${r.maxMs} ms; ` +
    `the intake's own 503s ≤ 100 ms: ${server}; ` +
    `event loop late by up to ${r.webLoopMaxMs} ms (web) and ${r.generatorLoopMaxMs} ms (load generator); ` +
    `AOF rewrite at the kill: ${rewrite}`
  );
}
