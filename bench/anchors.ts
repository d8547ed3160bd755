/**
 * mim-bridge against the tools a reader knows, in one run on one machine (issue #23):
 * Prometheus Alertmanager's /api/v2/alerts (1-alert bodies), a raw node:http app with JSON.parse,
 * an express.json app, mim-bridge web-only, and mim-bridge web plus a worker process (the whole
 * job: every accepted event also processed). Same generator for all: autocannon, closed loop,
 * `--connections` connections, a new delivery every request (signed ServiceNow bodies of ~1.4 KB;
 * the apps that do not verify get the same bytes). `--rounds` rounds, the targets' order rotated
 * each round, medians reported; then paced runs (evenly spaced, open loop, bench/lib/sender.ts)
 * at `--paced-rate` for the whole job, with Alertmanager beside it, in `--rounds` rotated rounds too.
 *
 *   node bench/anchors.ts [--seconds 5] [--rounds 3] [--connections 50] [--paced-rate 500]
 *     [--paced-seconds 5] [--targets alertmanager,raw-node,express,mim-web,mim-web+worker]
 *     [--appendfsync everysec] [--cpu-prof DIR] [--json FILE] [--before DIR]
 *
 * `--before DIR` also runs the mim-bridge in DIR (another checkout with node_modules: the
 * commit before a change) as `before:mim-web` and `before:mim-web+worker`, in the same rounds.
 * `--node-flags=…` gives this checkout's mim-bridge processes Node flags that `before` does not get; by
 * default the production ones (PRODUCTION_NODE_OPTIONS: the Dockerfile's NODE_OPTIONS). `--env A=1,B=2`
 * sets environment variables for this checkout's mim-bridge processes only (a setting's before and after).
 *
 * CPU per request is each process's user + system time over the run (from /proc/<pid>/stat,
 * every thread), Redis's the same way (a private redis-server, AOF on). For the whole job the
 * run ends when the events backlog is drained, and `done/s` is accepted ÷ (send time + drain
 * time): what the pair sustains, the figure set against Alertmanager's. Peak RSS is VmHWM.
 * Never asserts anything; numbers on a shared machine move, so compare within one run.
 */
import autocannon from 'autocannon';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startWorld, type Target } from './lib/anchors-targets.ts';
import { PRODUCTION_NODE_OPTIONS, paced, percentiles } from './lib/world.ts';

const ALL = ['alertmanager', 'raw-node', 'express', 'mim-web', 'mim-web+worker'];
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'paced-rate': { type: 'string', default: '500' },
    'paced-seconds': { type: 'string', default: '5' },
    targets: { type: 'string', default: ALL.join(',') },
    appendfsync: { type: 'string', default: 'everysec' },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    before: { type: 'string' },
    'node-flags': { type: 'string', default: PRODUCTION_NODE_OPTIONS },
    env: { type: 'string', default: '' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const PACED_RATE = Number(values['paced-rate']);
const PACED_SECONDS = Number(values['paced-seconds']);
const names = values.targets.split(',').filter(Boolean);
for (const n of names) if (!ALL.includes(n)) throw new Error(`--targets: unknown "${n}"; use ${ALL.join(', ')}`);
const DRAIN_DEADLINE_MS = 300_000;

/** User + system CPU of a process so far (ms), all its threads, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Write and read system calls of a process so far (/proc/<pid>/io): a socket write per Redis command or answer is
 * what batching saves, and unlike CPU time the count does not grow when other processes load the machine.
 */
function syscalls(pid: number): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return Number(/^syscw: (\d+)/m.exec(io)?.[1]) + Number(/^syscr: (\d+)/m.exec(io)?.[1]);
  } catch {
    return Number.NaN;
  }
}

/** Peak resident set (MB) of a process since it started. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

interface RoundResult {
  readonly rps: number;
  /** Accepted ÷ (send + drain) seconds; the same as rps for a target with nothing to drain. */
  readonly doneRps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly not2xx: number;
  readonly errors: number;
  readonly drainMs: number | undefined;
  /** µs of CPU per request, by process role, and Redis's. */
  readonly cpuUs: Record<string, number>;
  readonly redisUs: number;
  /** Read + write system calls per request, by process role (Redis's included). */
  readonly syscalls: Record<string, number>;
  /** Redis commands per request (INFO commandstats over the run), the most frequent first. */
  readonly redisCalls: Record<string, number>;
}

/** `INFO commandstats` as calls by command (EVALSHA counts one call per script run). */
async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm))
    out.set(m[1]!, Number(m[2]));
  return out;
}

const cursors = new Map<string, number>();

async function closedLoop(t: Target, redisPid: number, redis: Redis): Promise<RoundResult> {
  const pids = [...t.procs, { role: 'redis', pid: redisPid }];
  const calls0 = await commandCalls(redis);
  const before = pids.map((p) => cpuMs(p.pid));
  const sys0 = pids.map((p) => syscalls(p.pid));
  const result = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = cursors.get(t.name) ?? 0;
          cursors.set(t.name, i + 1);
          const r = t.request(i);
          return { ...req, body: r.body, headers: r.headers };
        },
      },
    ],
  });
  const drainMs = t.drained ? await t.drained(DRAIN_DEADLINE_MS) : 0;
  const after = pids.map((p) => cpuMs(p.pid));
  const sys1 = pids.map((p) => syscalls(p.pid));
  const calls1 = await commandCalls(redis);
  const ok = result.requests.total - result.non2xx;
  const cpuUs: Record<string, number> = {};
  const perReqSys: Record<string, number> = {};
  pids.forEach((p, i) => {
    cpuUs[p.role] = Math.round(((after[i]! - before[i]!) * 1000) / Math.max(1, ok));
    if (p.role !== 'redis' || t.usesRedis)
      perReqSys[p.role] = Number(((sys1[i]! - sys0[i]!) / Math.max(1, ok)).toFixed(1));
  });
  const { redis: redisCpu, ...own } = cpuUs;
  const sendS = result.duration;
  return {
    rps: Math.round(result.requests.total / sendS),
    doneRps: Math.round(ok / (sendS + (drainMs ?? Number.NaN) / 1000)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    not2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    drainMs,
    cpuUs: own,
    syscalls: perReqSys,
    redisUs: t.usesRedis ? (redisCpu ?? Number.NaN) : Number.NaN,
    redisCalls: t.usesRedis
      ? Object.fromEntries(
          [...calls1]
            .map(([k, v]) => [k, Number(((v - (calls0.get(k) ?? 0)) / Math.max(1, ok)).toFixed(2))] as const)
            .filter(([, v]) => v >= 0.01)
            .sort((a, b) => b[1] - a[1]),
        )
      : {},
  };
}

async function pacedRun(t: Target) {
  const n = PACED_RATE * PACED_SECONDS;
  const start = cursors.get(t.name) ?? 0;
  cursors.set(t.name, start + n);
  const reqs = Array.from({ length: n }, (_, i) => t.request(start + i));
  const out = await paced({
    url: t.url,
    bodies: reqs.map((r) => r.body),
    sigs: reqs.map((r) => r.headers['x-mim-signature'] ?? ''),
    rate: PACED_RATE,
    maxInFlight: 512,
  });
  const drainMs = t.drained ? await t.drained(DRAIN_DEADLINE_MS) : 0;
  const ms = percentiles([...out.latencyMs]);
  const r1 = (x: number) => Number(x.toFixed(1));
  return {
    p50: r1(ms.p50),
    p99: r1(ms.p99),
    max: r1(ms.max),
    not2xx: [...out.status].filter((s) => s < 200 || s > 299).length,
    senderLagMaxMs: out.maxLagMs,
    drainMs,
  };
}

const median = (xs: readonly number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const load0 = loadavg();
const world = await startWorld({
  names,
  nodeFlags: values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
  ownNodeFlags: values['node-flags'].split(' ').filter(Boolean),
  ownEnv: Object.fromEntries(
    values.env
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const at = kv.indexOf('=');
        if (at < 1) throw new Error(`--env: "${kv}" is not NAME=value`);
        return [kv.slice(0, at), kv.slice(at + 1)];
      }),
  ),
  appendfsync: values.appendfsync,
  env: {},
  ...(values.before ? { before: values.before } : {}),
});
for (const s of world.skipped) console.error(`skipped ${s}`);
const statsRedis = new Redis(world.redisUrl);
const rounds = new Map<string, RoundResult[]>(world.targets.map((t) => [t.name, []]));
const pacedOut: Record<string, Awaited<ReturnType<typeof pacedRun>>> = {};
try {
  for (let r = 0; r < ROUNDS; r++) {
    const order = world.targets.map((_, i) => world.targets[(i + r) % world.targets.length]!);
    for (const t of order) {
      const res = await closedLoop(t, world.redisPid, statsRedis);
      rounds.get(t.name)!.push(res);
      console.error(
        `round ${r + 1} ${t.name}: ${res.rps} req/s, done ${res.doneRps}/s, p50 ${res.p50} p99 ${res.p99} ms, ` +
          `cpu ${JSON.stringify(res.cpuUs)} redis ${res.redisUs} µs/req, syscalls/req ${JSON.stringify(res.syscalls)}, not 2xx ${res.not2xx}, errors ${res.errors}` +
          (t.usesRedis ? `\n  redis calls per request ${JSON.stringify(res.redisCalls)}` : ''),
      );
    }
  }
  // Rounds here too, the order rotated: a single paced run each was seen to favour whichever ran second.
  const pacedTargets = ['alertmanager', 'mim-web+worker', 'before:mim-web+worker']
    .map((name) => world.targets.find((x) => x.name === name))
    .filter((t): t is Target => t !== undefined);
  const pacedRounds = new Map<string, Awaited<ReturnType<typeof pacedRun>>[]>();
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < pacedTargets.length; i++) {
      const t = pacedTargets[(i + r) % pacedTargets.length]!;
      const out = await pacedRun(t);
      pacedRounds.set(t.name, [...(pacedRounds.get(t.name) ?? []), out]);
      console.error(`paced round ${r + 1} ${PACED_RATE}/s ${t.name}: ${JSON.stringify(out)}`);
    }
  }
  for (const [name, outs] of pacedRounds) {
    pacedOut[name] = {
      p50: median(outs.map((o) => o.p50)),
      p99: median(outs.map((o) => o.p99)),
      max: Math.max(...outs.map((o) => o.max)),
      not2xx: outs.reduce((n, o) => n + o.not2xx, 0),
      senderLagMaxMs: Math.max(...outs.map((o) => o.senderLagMaxMs)),
      drainMs: Math.max(...outs.map((o) => o.drainMs ?? 0)),
    };
  }
  const rss: Record<string, Record<string, number>> = {};
  for (const t of world.targets) rss[t.name] = Object.fromEntries(t.procs.map((p) => [p.role, peakRssMb(p.pid)]));
  rss.redis = { redis: peakRssMb(world.redisPid) };

  const summary = world.targets.map((t) => {
    const rs = rounds.get(t.name)!;
    const cpu: Record<string, number> = {};
    for (const p of t.procs) cpu[p.role] = median(rs.map((x) => x.cpuUs[p.role]!));
    const sys: Record<string, number> = {};
    for (const k of Object.keys(rs[0]?.syscalls ?? {})) sys[k] = median(rs.map((x) => x.syscalls[k]!));
    return {
      name: t.name,
      rps: median(rs.map((x) => x.rps)),
      doneRps: median(rs.map((x) => x.doneRps)),
      p50: median(rs.map((x) => x.p50)),
      p99: median(rs.map((x) => x.p99)),
      cpu,
      redisUs: median(rs.map((x) => x.redisUs)),
      sys,
      not2xx: rs.reduce((n, x) => n + x.not2xx, 0),
      errors: rs.reduce((n, x) => n + x.errors, 0),
      rss: rss[t.name]!,
    };
  });
  const am = summary.find((s) => s.name === 'alertmanager');
  const ex = summary.find((s) => s.name === 'express');
  const ratio = (x: number, of?: number) => (of ? (x / of).toFixed(2) : '—');
  const lines = [
    `${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, ${cpus().length} cores, Node ${process.version}, ` +
      `Redis AOF ${values.appendfsync}, load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ` +
      `${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    '',
    '| target | req/s | done/s | ÷ Alertmanager | p50 / p99 ms | CPU µs per request | Redis µs per request | syscalls per request | peak RSS MB | not 2xx |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...summary.map(
      (s) =>
        `| ${s.name} | ${s.rps} | ${s.doneRps} | ${ratio(s.doneRps, am?.doneRps)} | ${s.p50} / ${s.p99} | ` +
        `${Object.entries(s.cpu)
          .map(([k, v]) => `${k} ${v}`)
          .join(' + ')} | ${Number.isFinite(s.redisUs) ? s.redisUs : '—'} | ${Object.entries(s.sys)
          .map(([k, v]) => `${k} ${v}`)
          .join(' + ')} | ${Object.entries(s.rss)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} | ${s.not2xx} |`,
    ),
    '',
    ...Object.entries(pacedOut).map(
      ([k, v]) =>
        `paced ${PACED_RATE}/s × ${PACED_SECONDS} s × ${ROUNDS} rounds (medians; max of all), ${k}: p50 ${v.p50} / p99 ${v.p99} / max ${v.max} ms, not 2xx ` +
        `${v.not2xx}, sender lag max ${v.senderLagMaxMs} ms${v.drainMs ? `, drained ${v.drainMs} ms after` : ''}`,
    ),
    `peak RSS Redis ${rss.redis.redis} MB`,
  ];
  const whole0 = summary.find((s) => s.name === 'before:mim-web+worker');
  const web0 = summary.find((s) => s.name === 'before:mim-web');
  if (whole0 && am) lines.push(`before: whole job ÷ Alertmanager ${ratio(whole0.doneRps, am.doneRps)}`);
  if (web0 && ex) lines.push(`before: web-only ÷ express.json ${ratio(web0.rps, ex.rps)}`);
  if (pacedOut['before:mim-web+worker'])
    lines.push(`before: p99 at ${PACED_RATE}/s: ${pacedOut['before:mim-web+worker'].p99} ms`);
  const whole = summary.find((s) => s.name === 'mim-web+worker');
  const web = summary.find((s) => s.name === 'mim-web');
  if (whole && am) lines.push(`goal whole job ≥ 0.5× Alertmanager: ${ratio(whole.doneRps, am.doneRps)}`);
  if (web && ex) lines.push(`goal web-only ≥ 0.8× express.json: ${ratio(web.rps, ex.rps)}`);
  if (pacedOut['mim-web+worker'])
    lines.push(`goal p99 ≤ 50 ms at ${PACED_RATE}/s: ${pacedOut['mim-web+worker'].p99} ms`);
  console.log(lines.join('\n'));
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify(
        { date: new Date().toISOString(), rounds: Object.fromEntries(rounds), summary, paced: pacedOut },
        null,
        2,
      ),
    );
} finally {
  statsRedis.disconnect();
  await world.close();
}
