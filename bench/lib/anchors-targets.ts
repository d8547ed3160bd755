/**
 * The servers bench/anchors.ts compares, each a child process on loopback: Prometheus
 * Alertmanager (Debian's `prometheus-alertmanager`), a raw node:http app, an express.json app,
 * mim-bridge web-only, and mim-bridge web plus a worker process. The mim-bridge ones share one
 * private redis-server (AOF on, its pid known so its CPU can be read from /proc) under two prefixes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { REPO_ROOT, freePort } from '../../sandbox/run-service.ts';
import { spawnRedisServer } from '../../sandbox/shared/redis-server.ts';
import { sleep } from './world.ts';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export interface Proc {
  readonly role: string;
  readonly pid: number;
}

export interface Request {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export interface Target {
  readonly name: string;
  readonly url: string;
  /** The processes whose CPU and peak RSS count for this target (Redis is reported apart). */
  readonly procs: readonly Proc[];
  /** Whether Redis works for this target (its CPU is then charged to it). */
  readonly usesRedis: boolean;
  /** The i-th request of a run: a new delivery (or alert) every time. */
  request(i: number): Request;
  /** Resolves once everything accepted so far is processed (the whole job); undefined if it is not by the deadline. */
  drained?(deadlineMs: number): Promise<number | undefined>;
}

const SECRET = 'bench-anchors-secret';
const run = randomBytes(3).toString('hex');

/**
 * A ServiceNow business-rule delivery of about 1.4 KB (the size), signed as the shipped
 * rule signs it; every one a new record, so none is answered `duplicate` (a cheaper path).
 */
export function servicenowDelivery(i: number): Request {
  const body = JSON.stringify({
    event: 'insert',
    changed: ['state', 'priority', 'assignment_group'],
    record: {
      sys_id: `${run}${String(i).padStart(26, '0')}`,
      number: `INC${String(i).padStart(7, '0')}`,
      short_description: 'Payroll portal returns HTTP 503 for staff on the evening shift',
      description:
        'Users report HTTP 503 from the payroll portal since 09:00. The load balancer health check for ' +
        'payroll-app01 fails intermittently; the application log shows connection pool exhaustion against the ' +
        'payroll database. Workaround: none. Affected: all staff submitting timesheets before the monthly cut-off. ' +
        'Service desk has received 14 calls and 22 emails so far; callers are being told to retry later.',
      state: '1',
      impact: '2',
      urgency: '2',
      priority: '3',
      category: 'software',
      subcategory: 'application',
      business_service: { value: 'b1', display_value: 'Payroll' },
      cmdb_ci: { value: 'c1', display_value: 'payroll-app01' },
      assignment_group: { value: 'g1', display_value: 'Payroll Platform' },
      assigned_to: { value: 'u2', display_value: 'Beth Anglin' },
      caller_id: { value: 'u1', display_value: 'Abel Tuter' },
      opened_by: { value: 'u1', display_value: 'Abel Tuter' },
      location: { value: 'l1', display_value: 'Main Campus, Building 4' },
      company: { value: 'co1', display_value: 'Example University' },
      contact_type: 'phone',
      opened_at: '2026-11-20 09:04:12',
      sys_created_on: '2026-11-20 09:04:12',
      sys_updated_on: '2026-11-20 09:05:00',
      sys_updated_by: 'abel.tuter',
      sys_mod_count: '0',
    },
  });
  const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`;
  return { body, headers: { 'content-type': 'application/json', 'x-mim-signature': sig } };
}

/** One alert per request, as Prometheus sends them (~300 B); labels differ so each is a new alert. */
export function alertmanagerAlert(i: number): Request {
  const now = new Date().toISOString();
  const body = JSON.stringify([
    {
      labels: { alertname: 'PayrollPortalDown', service: 'payroll', instance: `app-${run}-${i}`, severity: 'page' },
      annotations: { summary: 'Payroll portal returns HTTP 503', runbook: 'https://wiki.example.edu/payroll' },
      startsAt: now,
      generatorURL: 'http://prometheus.example.edu/graph?g0.expr=up%3D%3D0',
    },
  ]);
  return { body, headers: { 'content-type': 'application/json' } };
}

/** A child process, killed on close; its stderr goes to a log file named in the error if it does not start. */
function child(cmd: string, args: string[], env: Record<string, string>, log: string, cwd = REPO_ROOT): ChildProcess {
  const c = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks: Buffer[] = [];
  c.stderr?.on('data', (b: Buffer) => {
    if (chunks.length < 200) chunks.push(b);
  });
  c.once('exit', () => writeFileSync(log, Buffer.concat(chunks)));
  return c;
}

async function waitHttp(url: string, method: string, what: string, c: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (c.exitCode !== null) throw new Error(`${what} exited (${c.exitCode}) before answering ${url}`);
    try {
      const res = await fetch(url, { method });
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`${what} did not answer ${url} within 30 s`);
}

export interface World {
  readonly targets: Target[];
  readonly redisPid: number;
  readonly redisUrl: string;
  readonly skipped: string[];
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly names: readonly string[];
  /** Node flags for the mim-bridge processes (e.g. --cpu-prof --cpu-prof-dir=…). */
  readonly nodeFlags: readonly string[];
  /** Environment for this checkout's mim-bridge only, not `before`'s (a setting's before and after in one run). */
  readonly ownEnv?: Readonly<Record<string, string>>;
  /** Node flags for this checkout's mim-bridge only, not `before`'s (a flag's before and after in one run). */
  readonly ownNodeFlags?: readonly string[];
  readonly appendfsync: string;
  /** Extra environment for the mim-bridge processes (a lever under test). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Another checkout of mim-bridge (with its node_modules) to run beside this one, as `before:mim-web` and
   * `before:mim-web+worker`: a change's before and after in the same run, alternated.
   */
  readonly before?: string;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-anchors-'));
  const children: ChildProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  const targets: Target[] = [];
  const skipped: string[] = [];
  const want = (n: string) => opts.names.includes(n);
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };

  const redisServer = await spawnRedisServer({
    args: [
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      opts.appendfsync,
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    logFile: path.join(dir, 'redis.log'),
  });
  const redisUrl = `redis://127.0.0.1:${redisServer.port}`;
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    // A graceful stop, so a --cpu-prof profile is written; SIGKILL after 10 s.
    const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
    const exits = alive.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
    for (const c of alive) c.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const c of alive) c.kill('SIGKILL');
    }, 10_000);
    await Promise.all(exits);
    clearTimeout(force);
    redisServer.child.kill('SIGTERM');
    await redisServer.exited;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (want('alertmanager')) {
      if (!existsSync(ALERTMANAGER) || spawnSync(ALERTMANAGER, ['--version']).status !== 0) {
        skipped.push(
          `alertmanager: ${ALERTMANAGER} is not installed (Debian: apt-get install prometheus-alertmanager)`,
        );
      } else {
        const port = await freePort();
        const cfg = path.join(dir, 'alertmanager.yml');
        writeFileSync(cfg, 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
        const c = child(
          ALERTMANAGER,
          [
            `--config.file=${cfg}`,
            `--storage.path=${path.join(dir, 'am-data')}`,
            `--web.listen-address=127.0.0.1:${port}`,
            '--cluster.listen-address=',
            '--log.level=warn',
          ],
          base,
          path.join(dir, 'alertmanager.log'),
        );
        children.push(c);
        await waitHttp(`http://127.0.0.1:${port}/-/ready`, 'GET', 'alertmanager', c);
        targets.push({
          name: 'alertmanager',
          url: `http://127.0.0.1:${port}/api/v2/alerts`,
          procs: [{ role: 'alertmanager', pid: c.pid ?? 0 }],
          usesRedis: false,
          request: alertmanagerAlert,
        });
      }
    }
    for (const [name, file] of [
      ['raw-node', 'bench/raw-app.ts'],
      ['express', 'bench/bare-app.ts'],
    ] as const) {
      if (!want(name)) continue;
      const port = await freePort();
      const c = child(process.execPath, [file], { ...base, PORT: String(port) }, path.join(dir, `${name}.log`));
      children.push(c);
      await waitHttp(`http://127.0.0.1:${port}/webhooks/servicenow`, 'POST', name, c);
      targets.push({
        name,
        url: `http://127.0.0.1:${port}/webhooks/servicenow`,
        procs: [{ role: name, pid: c.pid ?? 0 }],
        usesRedis: false,
        request: servicenowDelivery,
      });
    }

    // The shipped config, as a copy; priority-3 records of one service declare nothing (no storm: the rule is
    // raised out of reach), so the whole job is intake, the events worker and its stores, no vendor call.
    // Each checkout gets a copy of its own config/: an older one may not accept a newer one's fields.
    const configOf = (root: string, tag: string) => {
      const config = path.join(dir, `config-${tag}`);
      spawnSync('cp', ['-r', path.join(root, 'config'), config]);
      const rules = path.join(config, 'rules.yaml');
      writeFileSync(
        rules,
        readFileSync(rules, 'utf8').replace('window.storm_10m.count >= 5', 'window.storm_10m.count >= 1000000'),
      );
      return config;
    };
    const configs = { own: configOf(REPO_ROOT, 'own'), before: opts.before ? configOf(opts.before, 'before') : '' };
    const mimEnv = (prefix: string, role: string, port: number, own: boolean): Record<string, string> => ({
      ...base,
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redisUrl,
      MIM_REDIS_PREFIX: prefix,
      MIM_ROLE: role,
      MIM_CONFIG_DIR: own ? configs.own : configs.before,
      SERVICENOW_WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      MIM_SHUTDOWN_TIMEOUT_MS: '5000',
      ...opts.env,
      ...(own ? opts.ownEnv : {}),
    });
    const node = (root: string, own: boolean, prefix: string, role: string, port: number, tag: string) => {
      const c = child(
        process.execPath,
        [...opts.nodeFlags, ...(own ? (opts.ownNodeFlags ?? []) : []), 'src/app/main.ts'],
        mimEnv(prefix, role, port, own),
        path.join(dir, `${tag.replace(/\W/g, '_')}.log`),
        root,
      );
      children.push(c);
      return c;
    };
    const mims = (['mim-web', 'mim-web+worker'] as const)
      .filter(want)
      .flatMap((kind, k) => [
        { name: kind as string, kind, root: REPO_ROOT, own: true, tag: `${k}a` },
        ...(opts.before
          ? [{ name: `before:${kind}`, kind, root: path.resolve(opts.before), own: false, tag: `${k}b` }]
          : []),
      ]);
    for (const { name, kind, root, own, tag } of mims) {
      const prefix = `{mim-anchors-${run}-${tag}}`;
      const port = await freePort();
      const web = node(root, own, prefix, 'web', port, `${name}-web`);
      await waitHttp(`http://127.0.0.1:${port}/healthz`, 'GET', `${name} web`, web);
      const procs: Proc[] = [{ role: 'web', pid: web.pid ?? 0 }];
      const target: { -readonly [K in keyof Target]: Target[K] } = {
        name,
        url: `http://127.0.0.1:${port}/webhooks/servicenow`,
        procs,
        usesRedis: true,
        request: servicenowDelivery,
      };
      if (kind === 'mim-web+worker') {
        const worker = node(root, own, prefix, 'worker', 0, `${name}-worker`);
        procs.push({ role: 'worker', pid: worker.pid ?? 0 });
        const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
        const events = new Queue('events', { connection: conn, prefix });
        closers.push(async () => {
          await events.close();
          conn.disconnect();
        });
        // Ready once the worker has consumed the web's canary: /readyz answers 200.
        for (let i = 0; ; i++) {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
          await res?.arrayBuffer();
          if (res?.status === 200) break;
          if (i > 600 || worker.exitCode !== null) throw new Error(`${name}: the worker did not start consuming`);
          await sleep(100);
        }
        target.drained = async (deadlineMs) => {
          const start = Date.now();
          while (Date.now() - start < deadlineMs) {
            const c = await events.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0)
              return Date.now() - start;
            await sleep(50);
          }
          return undefined;
        };
      }
      targets.push(target);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { targets, redisPid: redisServer.child.pid ?? 0, redisUrl, skipped, close };
}
