/**
 * The long chaos runs (`npm run chaos`, or `npm run chaos -- redis-kill stalled` for some):
 * the same scenarios as test/chaos/*.test.ts at full size. Each prints its final line; the
 * process exits 1 if any promise was broken. docs/reliability.md records the figures.
 */
import os from 'node:os';
import { badInput } from '../../test/chaos/lib/bad-input.ts';
import { clusterFailover, type FailoverResult, sentinelFailover } from '../../test/chaos/lib/failover-scenario.ts';
import { redisKill } from '../../test/chaos/lib/redis-kill.ts';
import { soak } from '../../test/chaos/lib/soak.ts';
import { stalledConsumer } from '../../test/chaos/lib/stalled-consumer.ts';
import { vendorOutage } from '../../test/chaos/lib/vendor-outage.ts';
import { workersKilled } from '../../test/chaos/lib/workers-killed.ts';

const seed = Number(process.env.CHAOS_SEED ?? 20261201);
const minutes = (env: string, dflt: number) => Number(process.env[env] ?? dflt) * 60_000;

type Run = () => Promise<{ line: string; broken: string[] }>;

/**
 * Issue #20: three failovers at 200 webhooks/s, with MIM_INTAKE_MIN_REPLICAS=1 (nothing acknowledged
 * may go missing) and without it (what goes missing is the documented risk, not a broken promise).
 */
const failovers = async (label: string, run: (minReplicas: number, replicas?: number) => Promise<FailoverResult>) => {
  const lines: string[] = [];
  const bad: string[] = [];
  const variants: Array<[number, number | undefined]> =
    label === 'sentinel'
      ? [
          [1, 1],
          [1, 2],
          [0, 1],
        ]
      : [
          [1, undefined],
          [0, undefined],
        ];
  for (const [min, replicas] of variants) {
    const r = await run(min, replicas);
    lines.push(r.line);
    const tag = `${label} MIN_REPLICAS=${min}${replicas ? `, ${replicas} replica(s)` : ''}`;
    if (r.missing.length)
      lines.push(`  ${tag} ${r.missing.length} missing, the first:\n    ${r.missingDetail.join('\n    ')}`);
    bad.push(
      ...Object.entries({
        [`${tag}: zero missing`]: min === 0 || r.missing.length === 0,
        [`${tag}: only 202/503`]: r.unexpected.length === 0,
        [`${tag}: one Jira issue, one PagerDuty key`]: r.jiraIssues === 1 && r.pagerdutyKeys.length === 1,
        [`${tag}: workers consume again`]: r.resumeMs.every(Number.isFinite),
        [`${tag}: timers fire again`]: Number.isFinite(r.timersResumeMs),
        [`${tag}: the timer planned after the failover fired`]: r.timerAfterFailover?.result === 'fired',
        [`${tag}: drained, nothing failed`]: r.drainedMs !== undefined && r.failedJobs === 0,
        [`${tag}: ready at the end`]: r.readyAtEnd,
      })
        .filter(([, ok]) => !ok)
        .map(([what]) => what),
    );
  }
  return { line: lines.join('\n'), broken: bad };
};
const FAILOVER = { failovers: Number(process.env.CHAOS_FAILOVERS ?? 3), ratePerSec: 200, upMs: 5_000, downMs: 5_000 };
const broken = (checks: Record<string, boolean>) =>
  Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([what]) => what);

const RUNS: Record<string, Run> = {
  sentinel: () =>
    failovers('sentinel', (minReplicas, replicas) =>
      sentinelFailover({ ...FAILOVER, minReplicas, replicas: replicas ?? 1, roles: 'split' }),
    ),
  cluster: () => failovers('cluster', (minReplicas) => clusterFailover({ ...FAILOVER, minReplicas, roles: 'split' })),
  'redis-kill': async () => {
    const lines: string[] = [];
    const bad: string[] = [];
    const policies = process.env.CHAOS_FSYNC
      ? [process.env.CHAOS_FSYNC as 'everysec' | 'always']
      : (['everysec', 'always'] as const);
    for (const fsync of policies) {
      const r = await redisKill({
        cycles: Number(process.env.CHAOS_CYCLES ?? 100),
        ratePerSec: 500,
        upMs: 2_000,
        downMs: 1_000,
        fsync,
        drainTimeoutMs: 600_000,
        roles: process.env.CHAOS_ROLES === 'all' ? 'all' : 'split',
        ...(process.env.CHAOS_INTAKE_TIMEOUT_MS
          ? { intakeTimeoutMs: Number(process.env.CHAOS_INTAKE_TIMEOUT_MS) }
          : {}),
      });
      lines.push(r.line);
      for (const l of r.slowCycles) console.log(`  ${fsync} ${l}`);
      if (r.missing.length)
        console.log(`missing (${fsync}):\n  ${r.missingDetail.join('\n  ')}\n  redis-server log: ${r.redisLog}`);
      bad.push(
        ...broken({
          [`${fsync}: zero missing`]: r.missing.length === 0,
          [`${fsync}: only 202/503`]: r.unexpected.length === 0,
          [`${fsync}: 503 during outages`]: r.notRefused.length === 0,
          [`${fsync}: 503 in ≤ 100 ms`]: r.outage503Max <= 100,
          [`${fsync}: back in ≤ 2 s`]: r.backMs.every((ms) => ms <= 2_000),
          [`${fsync}: drained`]: r.drainedMs !== undefined,
          [`${fsync}: no failed jobs`]: r.failedJobs === 0,
        }),
      );
    }
    return { line: lines.join('\n'), broken: bad };
  },
  'workers-killed': async () => {
    const r = await workersKilled({ kills: Number(process.env.CHAOS_KILLS ?? 10), storm: 100, seed });
    return {
      line: r.line,
      broken: broken({
        'one Jira issue': r.jiraIssues === 1,
        'one PagerDuty incident': r.pagerdutyIncidents === 1,
        'one Slack message per channel': Object.values(r.slackPerChannel).every((n) => n === 1),
        'every incident a child': r.children === 100,
        'outbox empty': r.outbox === 0,
        'queues empty': Object.keys(r.pending).length === 0,
        'nothing failed': r.failed === 0 && r.deadLetters === 0,
      }),
    };
  },
  'vendor-outage': async () => {
    const r = await vendorOutage({ outageMs: minutes('CHAOS_OUTAGE_MIN', 10), slack429: 5, retryAfterSeconds: 3 });
    const grew = (k: 'pagerduty' | 'servicenow') => (r.during[k] ?? Infinity) - r.baseline[k];
    return {
      line: r.line,
      broken: broken({
        'served during outage': r.servedDuringOutage.pagerduty && r.servedDuringOutage.servicenow,
        'PagerDuty latency +≤ 1 s': grew('pagerduty') <= 1_000,
        'ServiceNow latency +≤ 1 s': grew('servicenow') <= 1_000,
        'Jira once per label':
          r.duplicatedLabels.length === 0 &&
          Object.values(r.issuesPerMi).every((n) => n === 1) &&
          r.jiraCreates201 === r.jiraIssues,
        'Retry-After honoured': r.slackEarly.length === 0,
      }),
    };
  },
  stalled: async () => {
    const r = await stalledConsumer({ detectWithinMs: 30_000, resumeWithinMs: 60_000 });
    return {
      line: r.line,
      broken: broken({
        'resumes after CLIENT KILL': r.killResumeMs !== undefined,
        'readiness fails ≤ 30 s': (r.detectMs ?? Infinity) <= 30_000,
        'resumes after a half-open connection': r.blackholeResumeMs !== undefined,
        'zero missing': r.missing.length === 0,
      }),
    };
  },
  'bad-input': async () => {
    const nodeOptions = process.env.CHAOS_SERVICE_NODE_OPTIONS;
    const r = await badInput({
      runsPerKind: Number(process.env.CHAOS_FUZZ_RUNS ?? 50_000),
      seed,
      ...(nodeOptions ? { nodeOptions } : {}),
    });
    return {
      line: r.line,
      broken: broken({
        'zero 5xx': r.fiveXx.length === 0,
        'zero false accepts': r.falseAccepts.length === 0,
        'still up': r.healthy,
        'heap flat (±10% or 32 MB)':
          r.after.heapUsed - r.before.heapUsed <= Math.max(0.1 * r.before.heapUsed, 32 * 1048576),
      }),
    };
  },
  soak: async () => {
    const r = await soak({
      durationMs: minutes('CHAOS_SOAK_MIN', 30),
      warmupMs: minutes('CHAOS_SOAK_WARMUP_MIN', 5),
      retentionMs: minutes('CHAOS_SOAK_RETENTION_MIN', 3),
      ratePerSec: 200,
      sampleMs: 15_000,
    });
    for (const s of r.samples)
      console.log(
        `  ${s.atS}s heap ${Math.round(s.heap / 1048576)} MB rss ${Math.round(s.rss / 1048576)} MB redis ` +
          `${Math.round(s.redis / 1048576)} MB backlog ${s.backlog}`,
      );
    return {
      line: r.line,
      broken: broken({
        'heap ±10%': r.drift.heap <= 0.1,
        'RSS ±10%': r.drift.rss <= 0.1,
        'Redis used memory ±10%': r.drift.redis <= 0.1,
        'zero stalled jobs': r.stalled === 0,
      }),
    };
  },
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNS);
console.log(
  `mim-bridge chaos (long version), ${os.cpus().length} cores, node ${process.version}, seed ${seed}: ` +
    `${wanted.join(', ')}`,
);
let failures = 0;
for (const name of wanted) {
  const run = RUNS[name];
  if (!run) {
    console.error(`unknown run "${name}"; known: ${Object.keys(RUNS).join(', ')}`);
    process.exit(2);
  }
  const started = Date.now();
  const { line, broken: bad } = await run();
  console.log(line);
  console.log(
    `  ${name}: ${bad.length ? `BROKEN: ${bad.join('; ')}` : 'every promise held'} ` +
      `(${Math.round((Date.now() - started) / 1000)} s)`,
  );
  failures += bad.length;
}
process.exit(failures ? 1 : 0);
