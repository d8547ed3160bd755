import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * mim-bridge as a child process (`node src/app/main.ts`), as an operator runs it: only the
 * environment given here (plus PATH and HOME), logs appended to a file, ready when `/readyz`
 * answers 200. `kill('SIGKILL')` leaves BullMQ's locks to lapse; `restart()` starts it again on
 * the same port, so the simulators' webhooks keep reaching it.
 */

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface RunServiceOptions {
  /** mim-bridge's environment (the sandbox's `env`): URLs, credentials, secrets. */
  readonly env: Readonly<Record<string, string>>;
  readonly redisUrl: string;
  /** Default: a fresh `{mim-sandbox-xxxxxxxx}`. */
  readonly prefix?: string;
  /** Default: the env's PORT, else a free port. */
  readonly port?: number;
  /** Default: a log file in a new temp dir. */
  readonly logFile?: string;
  readonly readyTimeoutMs?: number;
}

export interface RunningChild {
  readonly url: string;
  readonly port: number;
  readonly prefix: string;
  readonly adminToken: string;
  readonly logFile: string;
  /** The current process (a new one after `restart()`). */
  child(): ChildProcess;
  /** Sends the signal and waits for the exit; SIGKILL runs no shutdown hook. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the service again (after `kill`, or kills it first) and waits for /readyz. */
  restart(): Promise<void>;
  /** The log so far. */
  logs(): string;
  /** GET/POST on the admin API with the token; JSON in and out. */
  admin<T = unknown>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGTERM (graceful), SIGKILL if it takes longer than 10 s. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** A loopback port nothing listens on right now: bind one, note it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const uniqueSandboxPrefix = () => `{mim-sandbox-${randomBytes(4).toString('hex')}}`;

export async function runService(opts: RunServiceOptions): Promise<RunningChild> {
  const port = opts.port ?? (opts.env.PORT ? Number(opts.env.PORT) : await freePort());
  const prefix = opts.prefix ?? uniqueSandboxPrefix();
  const adminToken = opts.env.MIM_ADMIN_TOKEN ?? `sandbox-admin-${randomBytes(8).toString('hex')}`;
  const logFile = opts.logFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'mim-bridge-')), 'mim-bridge.log');
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'info',
    MIM_WORKER_LOCK_MS: '2000',
    MIM_WORKER_STALLED_INTERVAL_MS: '2000',
    // A killed demo should not wait 25 s for in-flight jobs.
    MIM_SHUTDOWN_TIMEOUT_MS: '5000',
    ...opts.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: opts.redisUrl,
    MIM_REDIS_PREFIX: prefix,
    MIM_ADMIN_TOKEN: adminToken,
  };
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  let current: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const alive = () => current !== undefined && current.exitCode === null && current.signalCode === null;

  async function start(): Promise<void> {
    const child = spawn(process.execPath, ['src/app/main.ts'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    current = child;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + (opts.readyTimeoutMs ?? READY_TIMEOUT_MS);
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`mim-bridge exited with code ${child.exitCode} while starting; its log: ${logFile}\n${tail()}`);
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `mim-bridge was not ready within ${opts.readyTimeoutMs ?? READY_TIMEOUT_MS} ms (/readyz: ${last}); its log: ${logFile}\n${tail()}`,
    );
  }

  const logs = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const tail = () => logs().split('\n').slice(-20).join('\n');

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!alive()) return;
    current?.kill(signal);
    await exited;
  };

  const stop = async () => {
    if (alive()) {
      const force = setTimeout(() => current?.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await kill('SIGTERM');
      clearTimeout(force);
    }
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };

  try {
    await start();
  } catch (err) {
    await kill('SIGKILL');
    log.end();
    throw err;
  }

  return {
    url,
    port,
    prefix,
    adminToken,
    logFile,
    logs,
    kill,
    stop,
    child: () => current as ChildProcess,
    restart: async () => {
      await kill('SIGTERM');
      await start();
    },
    admin: async <T>(method: string, pathname: string, body?: unknown) => {
      const res = await fetch(`${url}${pathname}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5_000),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
