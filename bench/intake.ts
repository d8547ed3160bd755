/**
 * Intake benchmark: the real intake path (verify → parse → validate → normalize → Redis) against a
 * bare express app that only parses the same JSON, measured in one run on one machine.
 *   node bench/intake.ts [--seconds 10] [--connections 50] [--rate 1000]
 * Both servers run as child processes; autocannon runs here. Redis: REDIS_URL or 127.0.0.1:6379.
 * Also prints CPU time per request at the fixed rate (the service's from /proc, Redis's from
 * INFO cpu, the bare app's): on a shared 2-core machine req/s moves by half between runs, CPU
 * per request by a tenth.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../test/helpers/net.ts';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, rate: { type: 'string', default: '1000' },
} });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const SECRET = 'bench-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `{mimbench-${randomBytes(3).toString('hex')}}`;

function record(i: number): string {
  return JSON.stringify({ event: 'insert', changed: ['state'], record: {
    sys_id: randomBytes(16).toString('hex'), number: `INC${String(i).padStart(7, '0')}`, short_description: 'Payroll portal down',
    description: 'Users get HTTP 503 from the payroll portal.', state: '1', impact: '2', urgency: '2', priority: '3',
    business_service: { value: 'b1', display_value: 'Payroll' }, cmdb_ci: { value: 'c1', display_value: 'payroll-app01' },
    assignment_group: { value: 'g1', display_value: 'Payroll Platform' }, caller_id: { value: 'u1', display_value: 'Abel Tuter' },
    sys_updated_on: '2026-11-20 09:05:00', sys_updated_by: 'abel.tuter', sys_mod_count: '0',
  } });
}

/** Pre-signed unique deliveries, so the client spends no CPU on HMAC during the run. */
function deliveries(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const body = record(i);
    return { body, sig: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` };
  });
}


/** Starts a server as a child process on a free port and waits until it answers. */
async function startChild(args: string[], env: Record<string, string>, probe: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`, { method: probe.startsWith('/webhooks') ? 'POST' : 'GET' });
      await res.arrayBuffer();
      return { child, port };
    } catch { await new Promise((r) => setTimeout(r, 50)); }
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

async function run(url: string, pool: { body: string; sig: string }[], rate?: number) {
  let i = 0;
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: SECONDS, ...(rate ? { overallRate: rate } : {}),
    requests: [{ method: 'POST', setupRequest: (req) => {
      const d = pool[i++ % pool.length]!;
      return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-mim-signature': d.sig } };
    } }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, requests: result.requests.total };
}

const pool = deliveries(Math.max(20_000, RATE * SECONDS * 2));
// MIM_ROLE=web: this measures the intake path alone; the events worker would share the same cores.
const real = await startChild(['src/main.ts'], {
  HOST: '127.0.0.1', REDIS_URL, MIM_REDIS_PREFIX: PREFIX, SERVICENOW_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn', MIM_ROLE: 'web',
}, '/healthz');
const bare = await startChild(['bench/bare-app.ts'], {}, '/webhooks/servicenow');
try {
  const realUrl = `http://127.0.0.1:${real.port}/webhooks/servicenow`;
  const bareUrl = `http://127.0.0.1:${bare.port}/webhooks/servicenow`;
  const maxReal = await run(realUrl, pool);
  const maxBare = await run(bareUrl, pool);
  // CPU per request at the fixed rate: the service's, Redis's (on the intake's behalf), the bare app's.
  const redis = new Redis(REDIS_URL);
  const [realCpu0, redisCpu0] = [cpuMs(real.child.pid), await redisCpuMs(redis)];
  const fixedReal = await run(realUrl, pool, RATE);
  const [realCpu1, redisCpu1] = [cpuMs(real.child.pid), await redisCpuMs(redis)];
  await redis.quit();
  const bareCpu0 = cpuMs(bare.child.pid);
  const fixedBare = await run(bareUrl, pool, RATE);
  const bareCpu1 = cpuMs(bare.child.pid);
  const perRequest = {
    service: ((realCpu1 - realCpu0) * 1000) / fixedReal.requests, redis: ((redisCpu1 - redisCpu0) * 1000) / fixedReal.requests,
    bare: ((bareCpu1 - bareCpu0) * 1000) / fixedBare.requests,
  };
  const out = {
    cores: cpus().length, seconds: SECONDS, connections: CONNECTIONS,
    max: { realRps: Math.round(maxReal.rps), bareRps: Math.round(maxBare.rps), ratio: Number((maxReal.rps / maxBare.rps).toFixed(2)) },
    fixedRate: { rate: RATE, real: { p50: fixedReal.p50, p99: fixedReal.p99, non2xx: fixedReal.non2xx }, bare: { p50: fixedBare.p50, p99: fixedBare.p99 } },
    cpuPerRequestUs: {
      service: Math.round(perRequest.service), redis: Math.round(perRequest.redis), bare: Math.round(perRequest.bare),
      // The req/s ratio's steadier cousin: the bare app's CPU per request over the intake's (service + Redis).
      ratio: Number((perRequest.bare / (perRequest.service + perRequest.redis)).toFixed(2)),
    },
    errors: { real: maxReal.errors + fixedReal.errors, realNon2xx: maxReal.non2xx },
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
