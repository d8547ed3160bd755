import { rmSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../../../src/lib/redis-client.ts';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { createEventsQueue } from '../../../src/queue/events-queue.ts';
import { eventJobId } from '../../../src/queue/job-id.ts';
import { createTimersQueue } from '../../../src/queue/timers-queue.ts';
import { TIMER_ENTRY } from '../../../src/process/timers-plan.ts';
import { MiStore } from '../../../src/store/mi-store.ts';
import { keys as makeKeys } from '../../../src/store/keys.ts';
import { startChildService, type ChildService } from '../../helpers/child-service.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { startFakeVendors } from '../../helpers/fake-vendors.ts';
import { SECRETS, eventually, uniquePrefix } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { signedHeaders } from '../../helpers/sign.ts';
import { unmappedLoadBody } from './load-record.ts';
import { pct, type Sent, servicenowLoad, sleep } from './load.ts';
import { drained, processedIds } from './processed.ts';
import { MASTER_NAME, sentinelSet } from './sentinel-set.ts';
import { clusterSet } from './cluster-set.ts';

/**
 * Issue #20 "no acknowledged webhook lost on a failover": the service runs on a Sentinel-managed
 * primary and replica (sentinel-set.ts) or on a 3×2 Redis Cluster (cluster-set.ts) under a steady
 * load of signed ServiceNow webhooks; the primary (on a Cluster, the one holding the `{…}` slot of
 * the run's prefix) is SIGKILLed `failovers` times, its replica is promoted, and after `downMs` the
 * old primary comes back as a replica. One major incident is declared before the first kill, so its
 * Jira and PagerDuty actions run across the failovers. Afterwards:
 * - every webhook answered 202 must have been processed (the worker's event log, read once the
 *   queue is drained): with MIM_INTAKE_MIN_REPLICAS=1 none may be missing; without it, what was
 *   acknowledged but not yet replicated at the kill is lost, and the count is the documented risk;
 * - only 202 and 503 may be answered (never another status, never no answer);
 * - no duplicate at the vendors: one Jira issue and one PagerDuty dedup key for the one incident;
 * - the workers consume again, without a restart (the consumption stamp moves past each kill).
 */
export interface FailoverOptions {
  readonly failovers: number;
  readonly ratePerSec: number;
  /** MIM_INTAKE_MIN_REPLICAS of the service. */
  readonly minReplicas: number;
  /** Sentinel only: replicas beside the primary (default 1). A Cluster has one per primary. */
  readonly replicas?: number;
  /** Load before each kill (and after the last failover). */
  readonly upMs: number;
  /** How long the killed primary stays down after the promotion before it rejoins as a replica. */
  readonly downMs: number;
  /** `all` (default): one process; `split`: a web and a worker process. */
  readonly roles?: 'all' | 'split';
  readonly drainTimeoutMs?: number;
}

export interface FailoverResult {
  readonly acknowledged: number;
  readonly processed: number;
  readonly missing: readonly Sent[];
  /** The first few missing ones: when they were answered against the kills, and what Redis still holds of them. */
  readonly missingDetail: readonly string[];
  /** Answers other than 202 or 503, or no answer at all. */
  readonly unexpected: readonly Sent[];
  /** Per failover: ms from the kill until the new primary was named (by the sentinels, or the cluster's slots). */
  readonly promotionMs: readonly number[];
  /** Per failover: ms from the kill until the old primary was back as a synced replica. */
  readonly rejoinedMs: readonly number[];
  /** Per failover: ms from the kill until the first 202 to a webhook sent after it. */
  readonly backMs: readonly number[];
  /** The longest run of consecutive 503 answers, first sent to last answered, in ms. */
  readonly longest503Ms: number;
  /** Per failover: ms from the kill until a worker consumed again (the consumption stamp moved past it). */
  readonly resumeMs: readonly number[];
  /** 202 answers' time to answer, p50 and p99 in ms, outside the outages. */
  readonly accept: { readonly p50: number; readonly p99: number };
  readonly jiraIssues: number;
  readonly pagerdutyKeys: readonly string[];
  readonly majorIncidentId: string | undefined;
  /** ms from the last promotion to the incident's next comms-cadence tick (every 3 s): the timers carried on. */
  readonly timersResumeMs: number;
  /**
   * The first of the incident's cadence timers planned (by its job id's time) after the last promotion,
   * and what became of it: `fired` is the timers worker's answer for a tick it wrote; lateMs is from
   * the planned time to the job's finish. Undefined when no such timer was planned or it never finished.
   */
  readonly timerAfterFailover: { readonly id: string; readonly result: unknown; readonly lateMs: number } | undefined;
  readonly drainedMs: number | undefined;
  readonly failedJobs: number;
  /** /readyz while no primary was known (from the kill to the promotion), and after the run. */
  readonly readyDuringOutage: number;
  readonly readyAtEnd: boolean;
  readonly line: string;
}

const PD_ROUTING_KEY = 'R0UT1NGKEYPAYR0LL0000000000000000';

/** The Redis deployment a run kills primaries of, whichever form it has. */
interface HaTopology {
  readonly label: string;
  /** The REDIS_* variables that point the service at it. */
  readonly env: Readonly<Record<string, string>>;
  /** The test's own client, following the primary as the service does. */
  readonly reader: RedisClient;
  /** The port of the primary holding the run's keys. */
  current(): Promise<number>;
  kill(port: number): Promise<void>;
  promoted(old: number): Promise<number>;
  rejoin(port: number): Promise<void>;
  close(): Promise<void>;
}

async function sentinelTopology(replicas: number): Promise<HaTopology> {
  const set = await sentinelSet({ replicas });
  const sentinels = set.sentinels.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) }));
  const reader = new Redis({ sentinels, name: MASTER_NAME, maxRetriesPerRequest: null });
  reader.on('error', () => {});
  return {
    label: `Sentinel, ${replicas} replica(s)`,
    // REDIS_URL is never dialled with REDIS_SENTINELS: only its password, TLS and database count.
    env: {
      REDIS_URL: 'redis://sentinel-managed.invalid:6379',
      REDIS_SENTINELS: set.sentinels,
      REDIS_SENTINEL_NAME: MASTER_NAME,
    },
    reader,
    current: () => set.primary(),
    kill: (port) => set.kill(port),
    promoted: (old) => set.promoted(old),
    rejoin: (port) => set.rejoin(port),
    close: async () => {
      reader.disconnect();
      await set.close();
    },
  };
}

async function clusterTopology(prefix: string): Promise<HaTopology> {
  const set = await clusterSet();
  const seeds = set.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) }));
  const reader = new Cluster(seeds, { redisOptions: { maxRetriesPerRequest: null } });
  reader.on('error', () => {});
  return {
    label: 'Cluster 3×2',
    env: { REDIS_URL: 'redis://cluster-managed.invalid:6379', REDIS_CLUSTER_NODES: set.seeds },
    reader,
    current: () => set.primaryFor(prefix),
    kill: (port) => set.kill(port),
    promoted: (old) => set.promoted(prefix, old),
    rejoin: (port) => set.rejoin(port),
    close: async () => {
      reader.disconnect();
      await set.close();
    },
  };
}

export const sentinelFailover = (opts: FailoverOptions) =>
  failoverScenario(() => sentinelTopology(opts.replicas ?? 1), opts);
export const clusterFailover = (opts: FailoverOptions) => failoverScenario((prefix) => clusterTopology(prefix), opts);

function longestRun503(sent: readonly Sent[]): number {
  let longest = 0;
  let from: number | undefined;
  for (const s of [...sent].sort((a, b) => a.sentAt - b.sentAt)) {
    if (s.status === 503) {
      from ??= s.sentAt;
      longest = Math.max(longest, (s.doneAt ?? s.sentAt) - from);
    } else if (s.status !== undefined) from = undefined;
  }
  return longest;
}

/**
 * Waits (45 s each step) for the first cadence timer whose planned time (the base-36 last part of
 * its job id, timers-plan.ts) comes after `after`, then for its job to finish; undefined if either
 * never happens. A timer due after a failover must fire at all, not merely some tick after it.
 */
async function plannedTimerFired(reader: RedisClient, prefix: string, after: number) {
  const queue = createTimersQueue(reader, prefix);
  try {
    const first = await eventually(
      async () => {
        const jobs = await queue.getJobs(['completed', 'failed', 'delayed', 'wait', 'active', 'prioritized']);
        const planned = jobs
          .map((j) => j?.id ?? '')
          .filter((id) => id.includes('.cadence.'))
          .map((id) => ({ id, at: Number.parseInt(id.split('.').at(-1) ?? '', 36) }))
          .filter((t) => t.at > after)
          .sort((a, b) => a.at - b.at);
        return planned[0];
      },
      45_000,
      250,
    ).catch(() => undefined);
    if (!first) return undefined;
    return await eventually(
      async () => {
        const job = await queue.getJob(first.id);
        if (!job?.finishedOn) return undefined;
        return { id: first.id, result: job.returnvalue, lateMs: job.finishedOn - first.at };
      },
      45_000,
      250,
    ).catch(() => undefined);
  } finally {
    await queue.close();
  }
}

async function failoverScenario(
  topology: (prefix: string) => Promise<HaTopology>,
  opts: FailoverOptions,
): Promise<FailoverResult> {
  const keys = makeKeys(uniquePrefix());
  const topo = await topology(keys.prefix);
  const { reader } = topo;
  const fake = await startFakeVendors();
  const config = configCopy();
  // A 3-second comms cadence for tier 1 (30 min shipped), so the incident's timers fire across the failovers.
  config.edit('rules.yaml', (t) => {
    const tier1 = /('1': \{[^}\n]*\bcadence: )30m\b/;
    if (!tier1.test(t)) throw new Error("rules.yaml: tier 1's `cadence: 30m` moved; the failover runs set it to 3s");
    return t.replace(tier1, '$13s');
  });
  const children: ChildService[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const env = {
      ...topo.env,
      MIM_REDIS_PREFIX: keys.prefix,
      MIM_CONFIG_DIR: config.dir,
      MIM_INTAKE_MIN_REPLICAS: String(opts.minReplicas),
      LOG_LEVEL: 'warn',
      MIM_WORKER_LOCK_MS: '2000',
      MIM_WORKER_STALLED_INTERVAL_MS: '2000',
      JIRA_URL: fake.url,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      PAGERDUTY_EVENTS_URL: fake.url,
      MIM_ROUTE_PAGERDUTY_PAYROLL: PD_ROUTING_KEY,
      SERVICENOW_URL: 'http://servicenow.invalid',
    };
    for (const role of opts.roles === 'split' ? ['web', 'worker'] : ['all'])
      children.push(await startChildService({ ...env, MIM_ROLE: role }));
    const web = children[0]!.url;

    // One major incident, declared before the first kill: its actions run across the failovers.
    const declare = JSON.stringify(snRecord({ sys_id: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0', sys_mod_count: '1' }));
    const declared = await fetch(`${web}/webhooks/servicenow`, {
      method: 'POST',
      body: declare,
      headers: signedHeaders('servicenow', SECRETS.servicenow, declare),
    });
    if (declared.status !== 202) throw new Error(`the declaring webhook was answered ${declared.status}`);

    // Samples: the consumption stamp every 100 ms, /readyz every 250 ms.
    const stamps: Array<{ at: number; stamp: number }> = [];
    timers.push(
      setInterval(() => {
        void reader.get(keys.consumedAt).then(
          (v) => v && stamps.push({ at: Date.now(), stamp: Number(v) }),
          () => undefined,
        );
      }, 100),
    );
    const ready: Array<{ at: number; ok: boolean }> = [];
    timers.push(
      setInterval(() => {
        void fetch(`${web}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => ready.push({ at: Date.now(), ok: r.status === 200 }),
          () => ready.push({ at: Date.now(), ok: false }),
        );
      }, 250),
    );

    const load = servicenowLoad(web, opts.ratePerSec, 'f', unmappedLoadBody);
    const killedAt: number[] = [];
    const promotionMs: number[] = [];
    const rejoinedMs: number[] = [];
    const outages: Array<{ from: number; to: number }> = [];
    for (let i = 0; i < opts.failovers; i++) {
      await sleep(opts.upMs);
      const old = await topo.current();
      const at = Date.now();
      killedAt.push(at);
      await topo.kill(old);
      await topo.promoted(old);
      const promoted = Date.now();
      promotionMs.push(promoted - at);
      outages.push({ from: at, to: promoted });
      await sleep(opts.downMs);
      await topo.rejoin(old);
      rejoinedMs.push(Date.now() - at);
    }
    await sleep(opts.upMs);
    await load.stop();
    for (const t of timers) clearInterval(t);
    timers.length = 0;

    const queue = createEventsQueue(reader, keys.prefix);
    const drainedMs = await drained(queue, opts.drainTimeoutMs ?? 60_000);
    const failedJobs = (await queue.getJobCounts('failed')).failed ?? 0;
    await queue.close();
    const processed = await processedIds(reader, keys.prefix);
    const acked = load.sent.filter((s) => s.status === 202);
    const missing = acked.filter((s) => !processed.has(s.deliveryId));
    const unexpected = load.sent.filter((s) => s.status !== 202 && s.status !== 503);
    // What Redis still holds of the first missing ones: their job and duplicate record, and when they were answered.
    const missingDetail = await Promise.all(
      missing.slice(0, 5).map(async (s) => {
        const jobId = eventJobId('servicenow', s.deliveryId);
        const [job, dedup] = await Promise.all([
          reader.exists(`${keys.prefix}:events:${jobId}`),
          reader.exists(keys.dedup('servicenow', jobId)),
        ]);
        const next = killedAt.find((k) => k >= (s.doneAt ?? s.sentAt));
        return (
          `${s.deliveryId}: 202 at +${(s.doneAt ?? 0) - (killedAt[0] ?? 0)} ms from the first kill, next kill ` +
          `${next === undefined ? 'none' : `${next - (s.doneAt ?? 0)} ms later`}; job ${job ? 'present' : 'absent'}, ` +
          `duplicate record ${dedup ? 'present' : 'absent'}`
        );
      }),
    );

    // The incident's actions finish (the PagerDuty page and the Jira issue), then the vendors are counted.
    const store = new MiStore<MajorIncident, TimelineEntry>(reader, keys.prefix);
    const mi = await eventually(
      async () => {
        const open = await store.openFor('payroll');
        return open?.links.jira && open.links.pagerduty ? open : undefined;
      },
      60_000,
      250,
    ).catch(() => undefined);
    const majorIncidentId = mi?.id ?? (await store.openFor('payroll'))?.id;
    // The timers carry on: a cadence tick on the incident's timeline after the last promotion. A fire that
    // failed during the outage is retried with backoff (1, 2, 4, 8 … s), so it may come some seconds late.
    const lastPromoted = outages.at(-1)?.to ?? 0;
    const firstTickAfter = async () => {
      if (!majorIncidentId) return undefined;
      const ticks = (await store.timeline(majorIncidentId))
        .filter((e) => e.kind === TIMER_ENTRY.cadence)
        .map((e) => Date.parse(e.at));
      return ticks.find((at) => at > lastPromoted);
    };
    const tick = await eventually(firstTickAfter, 45_000, 250).catch(() => undefined);
    const timersResumeMs = tick === undefined ? Number.POSITIVE_INFINITY : tick - lastPromoted;
    const timerAfterFailover = await plannedTimerFired(reader, keys.prefix, lastPromoted);
    const jiraIssues = fake.jira.issues.length;
    const pagerdutyKeys = [
      ...new Set(fake.pagerduty.events.filter((e) => e.event_action === 'trigger').map((e) => String(e.dedup_key))),
    ];

    const resumeMs = killedAt.map((k) => {
      const first = stamps.find((s) => s.stamp > k);
      return first ? first.stamp - k : Number.POSITIVE_INFINITY;
    });
    const readyDuringOutage = ready.filter(
      (r) => r.ok && outages.some((o) => r.at > o.from + 500 && r.at < o.to),
    ).length;
    const readyAtEnd = (await fetch(`${web}/readyz`)).status === 200;
    const inOutage = (s: Sent) => killedAt.some((k, i) => s.sentAt >= k - 100 && s.sentAt <= (outages[i]?.to ?? k));
    const quiet = acked.filter((s) => !inOutage(s)).map((s) => (s.doneAt ?? s.sentAt) - s.sentAt);
    const accept = { p50: pct(quiet, 50), p99: pct(quiet, 99) };
    const longest503Ms = longestRun503(load.sent);
    const otherTally = unexpected.reduce<Record<string, number>>((acc, s) => {
      const k = s.status ? String(s.status) : (s.error ?? 'no answer').slice(0, 40);
      acc[k] = (acc[k] ?? 0) + 1;
      return acc;
    }, {});
    const backMs = killedAt.map((k) => {
      const first = acked.filter((s) => s.sentAt > k).reduce((m, s) => Math.min(m, s.doneAt ?? m), Infinity);
      return first - k;
    });
    const line =
      `${topo.label}, ${opts.failovers} failover(s) at ${opts.ratePerSec}/s, MIM_INTAKE_MIN_REPLICAS=` +
      `${opts.minReplicas}: ${acked.length} acknowledged of ${load.sent.length}, ${missing.length} ` +
      `missing, ${unexpected.length} other answers${unexpected.length ? ` ${JSON.stringify(otherTally)}` : ''}; promotion ${promotionMs.join('/')} ms, old primary back as a ` +
      `replica ${rejoinedMs.join('/')} ms, first 202 ${backMs.join('/')} ms after each kill, longest 503 period ` +
      `${longest503Ms} ms, /readyz 200 while no primary ${readyDuringOutage} time(s), workers consuming again ${resumeMs.join('/')} ms after each kill; Jira issues ` +
      `${jiraIssues}, PagerDuty dedup keys ${pagerdutyKeys.length}; timers firing again ${timersResumeMs} ms after the ` +
      `last promotion, the first timer planned after it ${timerAfterFailover ? `${String(timerAfterFailover.result)} ${timerAfterFailover.lateMs} ms after its time` : 'never finished'}; 202 p50 ${accept.p50} ms p99 ${accept.p99} ms; ` +
      `drained ${drainedMs ?? 'never'}${drainedMs === undefined ? '' : ' ms'}, ${failedJobs} failed`;
    return {
      acknowledged: acked.length,
      processed: processed.size,
      missing,
      missingDetail,
      unexpected,
      promotionMs,
      rejoinedMs,
      backMs,
      longest503Ms,
      resumeMs,
      accept,
      jiraIssues,
      pagerdutyKeys,
      majorIncidentId,
      timersResumeMs,
      timerAfterFailover,
      drainedMs,
      failedJobs,
      readyDuringOutage,
      readyAtEnd,
      line,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    await Promise.all(children.map((c) => c.kill()));
    await fake.close();
    await topo.close();
    rmSync(config.dir, { recursive: true, force: true });
  }
}
