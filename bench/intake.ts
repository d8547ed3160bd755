/**
 * Intake benchmark: the real intake path (verify → parse → validate → normalize → Redis) against a
 * bare express app that only parses the same JSON, measured in one run on one machine.
 *   node bench/intake.ts [--seconds 10] [--connections 50] [--rate 1000]
 * Both servers run as child processes; autocannon runs here. Redis: REDIS_URL or 127.0.0.1:6379.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
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

async function run(url: string, pool: { body: string; sig: string }[], rate?: number) {
  let i = 0;
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: SECONDS, ...(rate ? { overallRate: rate } : {}),
    requests: [{ method: 'POST', setupRequest: (req) => {
      const d = pool[i++ % pool.length]!;
      return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-mim-signature': d.sig } };
    } }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
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
  const fixedReal = await run(realUrl, pool, RATE);
  const fixedBare = await run(bareUrl, pool, RATE);
  const out = {
    cores: cpus().length, seconds: SECONDS, connections: CONNECTIONS,
    max: { realRps: Math.round(maxReal.rps), bareRps: Math.round(maxBare.rps), ratio: Number((maxReal.rps / maxBare.rps).toFixed(2)) },
    fixedRate: { rate: RATE, real: { p50: fixedReal.p50, p99: fixedReal.p99, non2xx: fixedReal.non2xx }, bare: { p50: fixedBare.p50, p99: fixedBare.p99 } },
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
