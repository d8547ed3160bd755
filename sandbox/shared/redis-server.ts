import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../run-service.ts';

/**
 * A private `redis-server` for a test that must not touch the shared one (another eviction
 * policy, a server to SIGKILL). redis-server cannot bind port 0 and report the port it got, so
 * it is given a port picked just before, which another process can take in between: it then
 * exits at once ("Address already in use") and is started again on another port. A failed bind
 * is the only thing retried; any other exit is reported with the server's log.
 */

export interface RedisServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<void>;
}

export interface SpawnRedisServerOptions {
  /** Arguments besides `--port`, `--bind` and `--logfile` (`--dir`, `--appendonly`, …). */
  readonly args: readonly string[];
  /** The server's log file: read to tell a bound server from a failed bind. */
  readonly logFile: string;
  /** A port to bind again (a restart on the same data dir); default a free one, retried on a bind failure. */
  readonly port?: number;
  /** Default 5. */
  readonly attempts?: number;
}

const BIND_MS = 10_000;

/** Starts the server and resolves once it has bound its port (it may still be loading its data). */
export async function spawnRedisServer(opts: SpawnRedisServerOptions): Promise<RedisServerProcess> {
  const attempts = opts.port === undefined ? (opts.attempts ?? 5) : 1;
  let lastLog = '';
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePort());
    const child = spawn(
      'redis-server',
      [...opts.args, '--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--logfile', opts.logFile],
      { stdio: 'ignore' },
    );
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const outcome = await bound(child, opts.logFile, () => spawnError);
    if (outcome === 'bound') return { child, port, exited };
    lastLog = outcome.log;
    if (!/Address already in use/.test(outcome.log)) break;
  }
  throw new Error(`redis-server did not start (log ${opts.logFile}):\n${lastLog}`);
}

/** 'bound' once this process logs its listening port ("Running mode=…, port=…"), else its log lines once it exits. */
async function bound(
  child: ChildProcess,
  logFile: string,
  spawnError: () => Error | undefined,
): Promise<'bound' | { log: string }> {
  const own = () => {
    try {
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith(`${child.pid}:`))
        .join('\n');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + BIND_MS;
  for (;;) {
    const failed = spawnError();
    // ENOENT: not installed (Debian and Ubuntu: `apt-get install redis-server`).
    if (failed) return { log: `cannot run redis-server: ${failed.message}` };
    const log = own();
    if (/Running mode=\w+, port=\d+/.test(log)) return 'bound';
    if (child.exitCode !== null || child.signalCode !== null) return { log: own() };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      return { log: `${log}\n(no listening port logged within ${BIND_MS / 1_000} s)` };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
