import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type RedisServerProcess, spawnRedisServer } from '../../helpers/redis-server.ts';

/**
 * A redis-server of the chaos test's own, so it can be SIGKILLed and restarted on the same port
 * and data dir (the shared test Redis is never touched). AOF on, with the fsync policy given.
 */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILL: no shutdown save, no final AOF flush. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir; resolves once it answers PING (AOF loaded). */
  start(): Promise<void>;
  /** A plain client for the test's own reads (CLIENT KILL, XRANGE, INFO). */
  client(): Redis;
  close(): Promise<void>;
}

export type Fsync = 'everysec' | 'always';

export async function privateRedis(fsync: Fsync = 'everysec'): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-chaos-redis-'));
  const args = [
    ...['--save', '', '--appendonly', 'yes', '--appendfsync', fsync],
    ...['--dir', dir, '--maxmemory-policy', 'noeviction'],
  ];
  const logFile = path.join(dir, 'redis.log');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const clients: Redis[] = [];

  // redis-server cannot bind port 0 and report the port it got, so the first start is given a
  // free port and retried on another when that bind fails: acceptable, since nothing has used the
  // port yet. A restart must come back on the same port (the service's REDIS_URL names it), so
  // it is not retried.
  const first = await spawnRedisServer({ args, logFile });
  const { port } = first;
  const url = `redis://127.0.0.1:${port}`;

  const start = async (server?: RedisServerProcess) => {
    const s = server ?? (await spawnRedisServer({ args, logFile, port }));
    const c = s.child;
    child = c;
    exited = s.exited;
    // No ready check: ioredis's would wait out `loading_eta_seconds` (≥ 1 s) between looks while
    // the AOF loads, so "answers again" came up to a second late and flattered the intake's "back"
    // time. PING itself answers -LOADING until the data is in, and is asked every 10 ms.
    const probe = new Redis(url, {
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    probe.on('error', () => {});
    const deadline = Date.now() + 10_000;
    try {
      for (;;) {
        if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode} (log: ${logFile})`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch {
          /* not up yet, or still loading the AOF */
        }
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      probe.disconnect();
    }
  };
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (!alive()) return;
    child?.kill('SIGKILL');
    await exited;
  };
  await start(first);
  return {
    url,
    port,
    dir,
    kill,
    start: () => start(),
    client: () => {
      const r = new Redis(url, { maxRetriesPerRequest: null });
      r.on('error', () => {});
      clients.push(r);
      return r;
    },
    close: async () => {
      for (const r of clients) r.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
