import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { freePort } from '/work/main/test/helpers/net.ts';
const SECRET = 'bench-secret';
const PREFIX = `{mimprof-${randomBytes(3).toString('hex')}}`;
function record(i: number): string {
  return JSON.stringify({ event: 'insert', changed: ['state'], record: {
    sys_id: randomBytes(16).toString('hex'), number: `INC${String(i).padStart(7, '0')}`, short_description: 'Payroll portal down',
    description: 'Users get HTTP 503 from the payroll portal.', state: '1', impact: '2', urgency: '2', priority: '3',
    business_service: { value: 'b1', display_value: 'Payroll' }, cmdb_ci: { value: 'c1', display_value: 'payroll-app01' },
    assignment_group: { value: 'g1', display_value: 'Payroll Platform' }, caller_id: { value: 'u1', display_value: 'Abel Tuter' },
    sys_updated_on: '2026-11-20 09:05:00', sys_updated_by: 'abel.tuter', sys_mod_count: '0',
  } });
}
const pool = Array.from({ length: 30000 }, (_, i) => { const body = record(i); return { body, sig: `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}` }; });
const port = await freePort();
const args = process.env.PROF === '0' ? ['src/main.ts'] : ['--cpu-prof', '--cpu-prof-dir=/tmp/prof/out', 'src/main.ts'];
const child = spawn(process.execPath, args, { cwd: '/work/main', env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:6379', MIM_REDIS_PREFIX: PREFIX, SERVICENOW_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn', MIM_ROLE: 'web' }, stdio: ['ignore', 'ignore', 'inherit'] });
for (;;) { try { await (await fetch(`http://127.0.0.1:${port}/healthz`)).text(); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
let i = 0;
const r = await autocannon({ url: `http://127.0.0.1:${port}/webhooks/servicenow`, connections: 50, duration: Number(process.env.SECONDS ?? 15), overallRate: Number(process.env.RATE ?? 1000),
  requests: [{ method: 'POST', setupRequest: (req) => { const d = pool[i++ % pool.length]!; return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-mim-signature': d.sig } }; } }] });
console.log(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx }));
child.kill('SIGTERM');
await new Promise((res) => child.once('exit', res));
