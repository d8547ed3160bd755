/**
 * What the end-to-end, storm and scale-out benchmarks share: a config copy (the shipped one plus
 * generated tier-1 services), the simulators in this process, mim-bridge as child processes
 * (one `all`, or one `web` plus N `worker`s on one Redis prefix), the paced sender in a worker
 * thread, and samplers for the queues, each process's RSS and Redis memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parseDocument } from 'yaml';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { demoConfig, type DemoConfig } from '../../sandbox/demo/demo-config.ts';
import { sandboxRedis, type SandboxRedis } from '../../sandbox/redis.ts';
import { REPO_ROOT, runService, uniqueSandboxPrefix, type RunningChild } from '../../sandbox/run-service.ts';
import type { SenderInput, SenderOutput } from './sender.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Node flags the Docker image and docs/operations.md run mim-bridge with, so benches measure the same. */
export const PRODUCTION_NODE_OPTIONS = '--max-semi-space-size=16';

export interface BenchConfigOptions {
  /** Generated tier-1 services `Bench Service 000` … (fresh services to declare on). */
  readonly services?: number;
  /** Replace the storm rule's threshold (the e2e load would storm every service at once). */
  readonly stormThreshold?: number;
}

export const benchServiceName = (i: number) => `Bench Service ${String(i).padStart(3, '0')}`;

export function benchConfig(opts: BenchConfigOptions): DemoConfig {
  const config = demoConfig({ from: path.join(REPO_ROOT, 'config') });
  const sfile = path.join(config.dir, 'services.yaml');
  const sdoc = parseDocument(readFileSync(sfile, 'utf8'));
  for (let i = 0; i < (opts.services ?? 0); i++) {
    sdoc.addIn(
      ['services'],
      sdoc.createNode({
        id: `bench-${i}`,
        name: benchServiceName(i),
        tier: 1,
        match: { servicenow: { businessServices: [benchServiceName(i)] } },
        owners: {
          majorIncidentManager: 'mim-oncall@example.edu',
          commsLead: 'it-comms@example.edu',
          serviceOwner: 'head-of-payroll@example.edu',
          resolverGroup: 'Payroll Platform',
        },
        pagerduty: { routingKeyEnv: 'MIM_ROUTE_PAGERDUTY_PAYROLL', escalationRoutingKeyEnv: 'MIM_ROUTE_PAGERDUTY_MIM' },
        jira: { project: 'PAY', issueType: 'Task' },
        audiences: ['payroll-users', 'finance-leaders', 'service-desk', 'resolvers'],
      }),
    );
  }
  writeFileSync(sfile, sdoc.toString());
  if (opts.stormThreshold !== undefined) {
    const rfile = path.join(config.dir, 'rules.yaml');
    const text = readFileSync(rfile, 'utf8');
    const next = text.replace(
      'when: window.storm_10m.count >= 5',
      `when: window.storm_10m.count >= ${opts.stormThreshold}`,
    );
    if (next === text) throw new Error('storm rule not found in config/rules.yaml');
    writeFileSync(rfile, next);
  }
  return config;
}

export interface Bench {
  readonly redis: SandboxRedis;
  readonly client: Redis;
  readonly sandbox: Sandbox;
  readonly config: DemoConfig;
  readonly prefix: string;
  /** The process that takes webhooks and serves the admin API. */
  readonly web: RunningChild;
  /** Every mim-bridge process (pid, role). */
  processes(): Array<{ role: string; pid: number }>;
  close(): Promise<void>;
}

export interface BenchOptions extends BenchConfigOptions {
  /** 0: one `MIM_ROLE=all` process; N: one `web` and N `worker` processes. */
  readonly workers?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Workers listen on no port: started with the same environment, ready when the web process is (its canary needs a
 * consumer).
 */
function spawnWorker(env: Record<string, string>, logFile: string): { child: ChildProcess; stop(): Promise<void> } {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['src/app/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(force);
      }
      log.end();
    },
  };
}

export async function startBench(opts: BenchOptions = {}): Promise<Bench> {
  const redis = await sandboxRedis();
  const client = new Redis(redis.url);
  const config = benchConfig(opts);
  const sandbox = await startSandbox({ configDir: config.dir, servicenowEchoes: false });
  const prefix = uniqueSandboxPrefix().replace('mim-sandbox', 'mim-bench');
  // The production lock and stalled-check times (30 s), not the sandbox's 2 s (run-service.ts), which is tuned for kill
  // tests.
  const env: Record<string, string> = {
    ...sandbox.env,
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
    MIM_WORKER_LOCK_MS: '30000',
    MIM_WORKER_STALLED_INTERVAL_MS: '30000',
    ...opts.env,
  };
  const workers: Array<ReturnType<typeof spawnWorker>> = [];
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    MIM_SHUTDOWN_TIMEOUT_MS: '5000',
    ...env,
    REDIS_URL: redis.url,
    MIM_REDIS_PREFIX: prefix,
    MIM_ADMIN_TOKEN: 'bench-admin-token',
  };
  let web: RunningChild | undefined;
  try {
    for (let i = 0; i < (opts.workers ?? 0); i++) {
      workers.push(
        spawnWorker({ ...base, MIM_ROLE: 'worker', PORT: '0' }, `/tmp/${prefix.replace(/[{}]/g, '')}-worker-${i}.log`),
      );
    }
    web = await runService({
      env: { ...env, MIM_ADMIN_TOKEN: 'bench-admin-token', MIM_ROLE: opts.workers ? 'web' : 'all' },
      redisUrl: redis.url,
      prefix,
      readyTimeoutMs: 60_000,
      onListening: (url) => sandbox.connect(url),
    });
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop()));
    await sandbox.close();
    await redis.clean(prefix);
    client.disconnect();
    config.remove();
    throw err;
  }
  const w = web;
  return {
    redis,
    client,
    sandbox,
    config,
    prefix,
    web: w,
    processes: () => [
      { role: opts.workers ? 'web' : 'all', pid: w.child().pid ?? 0 },
      ...workers.map((x, i) => ({ role: `worker-${i}`, pid: x.child.pid ?? 0 })),
    ],
    close: async () => {
      await w.stop();
      await Promise.all(workers.map((x) => x.stop()));
      await sandbox.close();
      await redis.clean(prefix);
      client.disconnect();
      await redis.close();
      config.remove();
    },
  };
}

/** Sends the bodies in order at `rate` per second from a worker thread; resolves when every answer is in. */
export function paced(input: SenderInput): Promise<SenderOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sender.ts', import.meta.url), { workerData: input });
    worker.once('message', (out: SenderOutput) => {
      void worker.terminate();
      resolve(out);
    });
    worker.once('error', reject);
  });
}

export interface QueueSample {
  readonly t: number;
  readonly events: { waiting: number; active: number; delayed: number };
  readonly actions: Record<string, number>;
}
export interface MemSample {
  readonly t: number;
  readonly rssMb: Record<string, number>;
  readonly redisUsedMb: number;
}

const TARGETS = ['pagerduty', 'jira', 'slack', 'teams', 'email', 'servicenow'] as const;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the events queue and the action queues (waiting), each process's RSS and Redis used_memory, every `everyMs`.
 */
export function sampler(bench: Bench, everyMs = 1_000) {
  const conn = bench.client.duplicate();
  const events = new Queue('events', { connection: conn, prefix: bench.prefix });
  const actions = TARGETS.map(
    (t) => [t, new Queue(`actions-${t}`, { connection: conn, prefix: bench.prefix })] as const,
  );
  const queues: QueueSample[] = [];
  const memory: MemSample[] = [];
  const t0 = Date.now();
  let stopped = false;
  let redisPid = 0;
  const sample = async (): Promise<QueueSample> => {
    const c = await events.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const a: Record<string, number> = {};
    for (const [t, q] of actions) {
      const x = await q.getJobCounts('waiting', 'prioritized', 'delayed');
      a[t] = (x.waiting ?? 0) + (x.prioritized ?? 0) + (x.delayed ?? 0);
    }
    const s = {
      t: Date.now() - t0,
      events: { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0 },
      actions: a,
    };
    const info = await conn.info('memory');
    if (!redisPid) redisPid = Number(/process_id:(\d+)/.exec(await conn.info('server'))?.[1] ?? 0);
    const rss: Record<string, number> = { bench: Math.round(process.memoryUsage().rss / 1048576) };
    for (const p of bench.processes()) rss[p.role] = rssMb(p.pid);
    if (redisPid) rss.redis = rssMb(redisPid);
    memory.push({
      t: s.t,
      rssMb: rss,
      redisUsedMb: Math.round(Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576),
    });
    return s;
  };
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        queues.push(await sample());
      } catch {
        /* a sample lost is no result lost */
      }
      await sleep(Math.max(0, everyMs - (Date.now() - started)));
    }
  })();
  return {
    queues,
    memory,
    sample,
    /** Waits until the events queue and (optionally) the action queues are empty, or the deadline. */
    async drained(deadlineMs: number, withActions: readonly string[] = []): Promise<number | undefined> {
      const start = Date.now();
      while (Date.now() - start < deadlineMs) {
        const s = queues.at(-1);
        if (
          s &&
          Date.now() - t0 - s.t < 2 * everyMs &&
          s.events.waiting + s.events.active + s.events.delayed === 0 &&
          withActions.every((t) => (s.actions[t] ?? 0) === 0)
        ) {
          return Date.now() - start;
        }
        await sleep(200);
      }
      return undefined;
    },
    async stop() {
      stopped = true;
      await loop;
      await events.close();
      for (const [, q] of actions) await q.close();
      conn.disconnect();
    },
    peaks() {
      const rss: Record<string, number> = {};
      for (const m of memory) for (const [k, v] of Object.entries(m.rssMb)) rss[k] = Math.max(rss[k] ?? 0, v);
      return {
        rssMb: rss,
        redisUsedMb: Math.max(0, ...memory.map((m) => m.redisUsedMb)),
        redisUsedMbAtStart: memory[0]?.redisUsedMb ?? 0,
      };
    },
  };
}

/** Least-squares slope (per second) of the events backlog (waiting + delayed) over samples in [from, to] ms. */
export function backlogTrend(samples: readonly QueueSample[], from: number, to: number) {
  const xs = samples.filter((s) => s.t >= from && s.t <= to);
  const ys = xs.map((s) => s.events.waiting + s.events.delayed);
  const n = xs.length;
  if (n < 3) return { slopePerS: 0, max: Math.max(0, ...ys), last: ys.at(-1) ?? 0, samples: n };
  const mx = xs.reduce((a, s) => a + s.t / 1000, 0) / n;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  xs.forEach((s, i) => {
    num += (s.t / 1000 - mx) * (ys[i]! - my);
    den += (s.t / 1000 - mx) ** 2;
  });
  return {
    slopePerS: Math.round((num / den) * 10) / 10,
    max: Math.max(...ys),
    last: ys.at(-1)!,
    samples: n,
    series: ys,
  };
}

export function percentiles(values: readonly number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : NaN);
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? NaN };
}

/** Every processed event as the orchestrator logged it (the `eventlog` stream): deliveryId → times. */
export async function processedDeliveries(client: Redis, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let start = '-';
  for (;;) {
    const rows = await client.xrange(`${prefix}:eventlog`, start, '+', 'COUNT', 5000);
    for (const [, fields] of rows) {
      const e = JSON.parse(fields[1] ?? '{}') as { deliveryId?: string };
      if (e.deliveryId) out.set(e.deliveryId, (out.get(e.deliveryId) ?? 0) + 1);
    }
    if (rows.length < 5000) break;
    start = `(${rows.at(-1)![0]}`;
  }
  return out;
}
