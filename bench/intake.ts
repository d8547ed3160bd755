/**
 * Intake benchmark: the real intake path (verify → parse → validate → normalize → Redis) against a
 * bare express app that only parses the same JSON, measured in one run on one machine.
 *   node bench/intake.ts [--seconds 10] [--connections 50] [--rate 1000]
 * Both servers run as child processes; autocannon runs here. Redis: REDIS_URL or 127.0.0.1:6379.
 * Also prints CPU time per request at the fixed rate (the service's from /proc, Redis's from
 * INFO cpu, the bare app's): on a shared 2-core machine req/s moves by half between runs, CPU
 * per request by a tenth.
 *
 * Latency at the fixed rate is measured twice. autocannon's rate limit is a per-second budget
 * per connection: each connection sends back to back until its share of the second is used, then
 * waits for the next second, so "1,000 req/s" arrives as a burst at the start of every second
 * with all 50 connections in flight. The `paced` figures come from an open-loop sender that
 * spaces the same requests evenly (bench/lib/sender.ts, on a worker thread), as independent
 * webhooks arrive; they are the goal's figures.
 *
 * Every request to the real service is a new delivery (one cursor over the pool for all its
 * runs): a repeated one would be answered `duplicate` after one EXISTS, a cheaper path than the
 * one measured. Each run's count of answers other than 202 is printed.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../test/helpers/net.ts';
import { paced, percentiles } from './lib/world.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const SECRET = 'bench-webhook-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `{mimbench-${randomBytes(3).toString('hex')}}`;

function record(i: number): string {
  return JSON.stringify({
    event: 'insert',
    changed: ['state'],
    record: {
      sys_id: randomBytes(16).toString('hex'),
      number: `INC${String(i).padStart(7, '0')}`,
      short_description: 'Payroll portal down',
      description: 'Users get HTTP 503 from the payroll portal.',
      state: '1',
      impact: '2',
      urgency: '2',
      priority: '3',
      business_service: { value: 'b1', display_value: 'Payroll' },
      cmdb_ci: { value: 'c1', display_value: 'payroll-app01' },
      assignment_group: { value: 'g1', display_value: 'Payroll Platform' },
      caller_id: { value: 'u1', display_value: 'Abel Tuter' },
      sys_updated_on: '2026-11-20 09:05:00',
      sys_updated_by: 'abel.tuter',
      sys_mod_count: '0',
    },
  });
}

/** Pre-signed unique deliveries, so the client spends no CPU on HMAC during the run. */
function deliveries(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const body = record(i);
    return { body, sig: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` };
  });
}

/** Starts a server as a child process on a free port and waits until it answers. */
async function startChild(
  args: string[],
  env: Record<string, string>,
  probe: string,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`, {
        method: probe.startsWith('/webhooks') ? 'POST' : 'GET',
      });
      await res.arrayBuffer();
      return { child, port };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${args.join(' ')} did not start`);
}

/** A child's CPU time so far (user + system, ms), from /proc: steadier than req/s on a shared machine. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

/** Redis's own CPU time so far (ms), from INFO cpu. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
}

type Pool = { body: string; sig: string }[];
/** Where the next request's delivery comes from; the real service's runs share one, so no delivery repeats. */
type Cursor = { next: number };

async function run(url: string, pool: Pool, cursor: Cursor, rate?: number) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const d = pool[cursor.next++ % pool.length]!;
          return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-mim-signature': d.sig } };
        },
      },
    ],
  });
  const not202 = Object.entries(result.statusCodeStats as Record<string, { count: number }>)
    .filter(([code]) => code !== '202')
    .reduce((n, [, v]) => n + v.count, 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    not202,
    errors: result.errors,
    requests: result.requests.total,
  };
}

/** The same requests at `RATE`, evenly spaced (open loop), latency from send to the answer read. */
async function runPaced(url: string, pool: Pool, cursor: Cursor) {
  const n = RATE * SECONDS;
  const items = Array.from({ length: n }, () => pool[cursor.next++ % pool.length]!);
  const out = await paced({
    url,
    bodies: items.map((d) => d.body),
    sigs: items.map((d) => d.sig),
    rate: RATE,
    maxInFlight: 512,
  });
  const ms = percentiles([...out.latencyMs]);
  const round = (x: number) => Number(x.toFixed(1));
  return {
    p50: round(ms.p50),
    p99: round(ms.p99),
    max: round(ms.max),
    not202: [...out.status].filter((st) => st !== 202).length,
    senderLagMaxMs: out.maxLagMs,
  };
}

// Room for the real service's three runs without a repeat: the fixed-rate and paced ones, and a
// maximum run of up to 12,000 req/s (bare express on this machine does ~6,000–17,000).
const pool = deliveries(RATE * SECONDS * 2 + 12_000 * SECONDS);
const realCursor: Cursor = { next: 0 };
const bareCursor: Cursor = { next: 0 };
// MIM_ROLE=web: this measures the intake path alone; the events worker would share the same cores.
const real = await startChild(
  ['src/app/main.ts'],
  {
    HOST: '127.0.0.1',
    REDIS_URL,
    MIM_REDIS_PREFIX: PREFIX,
    SERVICENOW_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    MIM_ROLE: 'web',
  },
  '/healthz',
);
const bare = await startChild(['bench/bare-app.ts'], {}, '/webhooks/servicenow');
try {
  const realUrl = `http://127.0.0.1:${real.port}/webhooks/servicenow`;
  const bareUrl = `http://127.0.0.1:${bare.port}/webhooks/servicenow`;
  const maxReal = await run(realUrl, pool, realCursor);
  const maxBare = await run(bareUrl, pool, bareCursor);
  // CPU per request at the fixed rate: the service's, Redis's (on the intake's behalf), the bare app's.
  const redis = new Redis(REDIS_URL);
  const [realCpu0, redisCpu0] = [cpuMs(real.child.pid), await redisCpuMs(redis)];
  const fixedReal = await run(realUrl, pool, realCursor, RATE);
  const [realCpu1, redisCpu1] = [cpuMs(real.child.pid), await redisCpuMs(redis)];
  await redis.quit();
  const bareCpu0 = cpuMs(bare.child.pid);
  const fixedBare = await run(bareUrl, pool, bareCursor, RATE);
  const bareCpu1 = cpuMs(bare.child.pid);
  const pacedReal = await runPaced(realUrl, pool, realCursor);
  const pacedBare = await runPaced(bareUrl, pool, bareCursor);
  const perRequest = {
    service: ((realCpu1 - realCpu0) * 1000) / fixedReal.requests,
    redis: ((redisCpu1 - redisCpu0) * 1000) / fixedReal.requests,
    bare: ((bareCpu1 - bareCpu0) * 1000) / fixedBare.requests,
  };
  const out = {
    cores: cpus().length,
    seconds: SECONDS,
    connections: CONNECTIONS,
    max: {
      realRps: Math.round(maxReal.rps),
      bareRps: Math.round(maxBare.rps),
      ratio: Number((maxReal.rps / maxBare.rps).toFixed(2)),
    },
    // autocannon's rate limit: each second's requests in one burst (see the top of this file).
    fixedRate: {
      rate: RATE,
      real: { p50: fixedReal.p50, p99: fixedReal.p99, non2xx: fixedReal.non2xx },
      bare: { p50: fixedBare.p50, p99: fixedBare.p99 },
    },
    // Evenly spaced, the goal's figures (ms).
    paced: { rate: RATE, real: pacedReal, bare: pacedBare },
    cpuPerRequestUs: {
      service: Math.round(perRequest.service),
      redis: Math.round(perRequest.redis),
      bare: Math.round(perRequest.bare),
      // The req/s ratio's steadier cousin: the bare app's CPU per request over the intake's (service + Redis).
      ratio: Number((perRequest.bare / (perRequest.service + perRequest.redis)).toFixed(2)),
    },
    errors: { real: maxReal.errors + fixedReal.errors, realNon2xx: maxReal.non2xx },
    // Anything but a 202 from the real service means a run measured another path (a duplicate, a 503).
    realNot202: { max: maxReal.not202, fixedRate: fixedReal.not202, paced: pacedReal.not202 },
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  real.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== '0');
  await redis.quit();
}
