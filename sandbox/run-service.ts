import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * mim-bridge as a child process (`node src/app/main.ts`), as an operator runs it: only the
 * environment given here (plus PATH and HOME), logs appended to a file, ready when `/readyz`
 * answers 200. It binds port 0 unless told a port, and its URL is the one its "listening" log
 * line gives: a port picked beforehand and bound later can be taken in between on a busy
 * machine. `kill('SIGKILL')` leaves BullMQ's locks to lapse; `restart()` starts it again (on a
 * new port), and `onListening` hears each URL, so the simulators' webhooks follow it.
 */

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface RunServiceOptions {
  /** mim-bridge's environment (the sandbox's `env`): URLs, credentials, secrets. */
  readonly env: Readonly<Record<string, string>>;
  readonly redisUrl: string;
  /** Default: a fresh `{mim-sandbox-xxxxxxxx}`. */
  readonly prefix?: string;
  /** Default: the env's PORT, else 0 (a free port the service picks and logs). */
  readonly port?: number;
  /** Called with the service's URL each time it starts listening (again after `restart()`). */
  readonly onListening?: (url: string) => void;
  /** Default: a log file in a new temp dir. */
  readonly logFile?: string;
  readonly readyTimeoutMs?: number;
}

export interface RunningChild {
  /** The current process's URL (a new port after `restart()` unless a port was given). */
  readonly url: string;
  readonly port: number;
  readonly prefix: string;
  readonly adminToken: string;
  readonly logFile: string;
  /** The current process (a new one after `restart()`). */
  child(): ChildProcess;
  /** Sends the signal and waits for the exit; SIGKILL runs no shutdown hook. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the service again (after `kill`, or kills it first) and waits for /readyz; `url` is then the new one. */
  restart(): Promise<void>;
  /** The log so far. */
  logs(): string;
  /** GET/POST on the admin API with the token; JSON in and out. */
  admin<T = unknown>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGTERM (graceful), SIGKILL if it takes longer than 10 s. */
  stop(): Promise<void>;
}

// A deadline, not a delay: the caller waits only as long as start-up takes. On a loaded 2-core
// CI machine start-up was seen to miss 20 s; waiting longer changes no assertion.
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * A loopback port nothing listens on right now: bind one, note it, release it. Racy (another
 * process can take it before it is bound again); only for programs that cannot bind port 0
 * and report the port they got, such as `redis-server` (sandbox/shared/redis-server.ts, which
 * starts it again on another port when the bind fails).
 */
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

/** What the service logs once it listens (src/app/service.ts), web or worker role, with its `url`. */
const LISTENING = /^mim-bridge (listening|worker serving)/;

/** The URL in the service's "listening" log line (JSON, one per line), or undefined for any other line. */
export function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return typeof entry.msg === 'string' && LISTENING.test(entry.msg) && typeof entry.url === 'string'
      ? entry.url
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves with the URL the service logs on `stdout`; undefined if the stream ends first. Reads
 * beside whatever else consumes the stream (a pipe to the log file) and never pauses it, so the
 * child never blocks on a full pipe.
 */
export function awaitListening(stdout: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    let pending = '';
    const done = (url: string | undefined) => {
      stdout.off('data', onData);
      stdout.off('close', onClose);
      resolve(url);
    };
    const onData = (chunk: Buffer | string) => {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const url = listeningUrl(line);
        if (url) return done(url);
      }
    };
    const onClose = () => done(undefined);
    stdout.on('data', onData);
    stdout.once('close', onClose);
  });
}

export async function runService(opts: RunServiceOptions): Promise<RunningChild> {
  const wanted = opts.port ?? (opts.env.PORT ? Number(opts.env.PORT) : 0);
  const prefix = opts.prefix ?? uniqueSandboxPrefix();
  const adminToken = opts.env.MIM_ADMIN_TOKEN ?? `sandbox-admin-${randomBytes(8).toString('hex')}`;
  const logFile = opts.logFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'mim-bridge-')), 'mim-bridge.log');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    LOG_LEVEL: 'info',
    MIM_WORKER_LOCK_MS: '2000',
    MIM_WORKER_STALLED_INTERVAL_MS: '2000',
    // A killed demo should not wait 25 s for in-flight jobs.
    MIM_SHUTDOWN_TIMEOUT_MS: '5000',
    ...opts.env,
    PORT: String(wanted),
    HOST: '127.0.0.1',
    REDIS_URL: opts.redisUrl,
    MIM_REDIS_PREFIX: prefix,
    MIM_ADMIN_TOKEN: adminToken,
  };
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  let current: ChildProcess | undefined;
  let url = '';
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
    let heard: string | undefined;
    let told = false;
    void awaitListening(child.stdout as Readable).then((u) => {
      heard = u;
    });
    const readyMs = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const deadline = Date.now() + readyMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`mim-bridge exited with code ${child.exitCode} while starting; its log: ${logFile}\n${tail()}`);
      if (!heard) {
        last = 'no "mim-bridge listening" log line yet';
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      if (!told) {
        url = heard;
        told = true;
        opts.onListening?.(url);
      }
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`mim-bridge was not ready within ${readyMs} ms (/readyz: ${last}); its log: ${logFile}\n${tail()}`);
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
    get url() {
      return url;
    },
    get port() {
      return Number(new URL(url).port);
    },
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
