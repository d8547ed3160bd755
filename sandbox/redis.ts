import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type RedisServerProcess, spawnRedisServer } from './shared/redis-server.ts';

/**
 * A Redis for the demo and the end-to-end tests: the one in REDIS_URL when it answers (its
 * `maxmemory-policy` set to `noeviction` if it is not, as mim-bridge refuses to run otherwise),
 * else a private `redis-server` from PATH on a free loopback port in a temp dir, stopped with
 * the demo. With neither, `RedisUnavailable` says how to get one.
 */

export interface SandboxRedis {
  readonly url: string;
  /** `private`: a redis-server this process started; `given`: REDIS_URL (or the default). */
  readonly kind: 'private' | 'given';
  /** What was done to get it, for the demo's first lines. */
  readonly note: string;
  /** Deletes every key under `prefix` (a given Redis is shared; a private one is discarded anyway). */
  clean(prefix: string): Promise<void>;
  close(): Promise<void>;
}

export const HOW_TO_GET_REDIS = [
  'mim-bridge needs Redis (>= 7). Nothing answered on REDIS_URL and there is no redis-server on PATH. Get one with any of:',
  '  apt-get install redis-server        # Debian, Ubuntu',
  '  brew install redis                  # macOS',
  '  docker run -p 6379:6379 redis:7     # anywhere with Docker',
  'then run the demo again (or set REDIS_URL=redis://host:port to a Redis you already have).',
].join('\n');

export class RedisUnavailable extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(detail: string) {
    super(`${HOW_TO_GET_REDIS}\n(${detail})`);
    this.name = 'RedisUnavailable';
  }
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const START_TIMEOUT_MS = 5_000;

/** A connection that fails at once instead of reconnecting: probing must answer, not hang. */
function probe(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {
    /* the awaited command reports it */
  });
  return redis;
}

/** The URL answers PING and runs with (or now accepts) `noeviction`; the note says which. */
async function usable(url: string): Promise<{ ok: true; note: string } | { ok: false; why: string }> {
  const redis = probe(url);
  try {
    await redis.connect();
    if ((await redis.ping()) !== 'PONG') return { ok: false, why: `${url} did not answer PONG` };
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy === 'noeviction') return { ok: true, note: `using Redis at ${safeUrl(url)}` };
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    return { ok: true, note: `using Redis at ${safeUrl(url)} (maxmemory-policy was ${policy}; set to noeviction)` };
  } catch (err) {
    return { ok: false, why: `${safeUrl(url)}: ${(err as Error).message}` };
  } finally {
    redis.disconnect();
  }
}

export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}

async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const redis = probe(url);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
  } catch {
    /* best effort: the keys are under a prefix nobody else uses */
  } finally {
    redis.disconnect();
  }
}

async function startPrivate(): Promise<SandboxRedis | string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-redis-'));
  let server: RedisServerProcess;
  try {
    server = await spawnRedisServer({
      args: ['--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      logFile: path.join(dir, 'redis.log'),
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const message = (err as Error).message;
    return /ENOENT/.test(message) ? 'no redis-server on PATH' : message;
  }
  const { child, port, exited } = server;
  const url = `redis://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await usable(url)).ok) {
      return {
        url,
        kind: 'private',
        note: `started a private redis-server on 127.0.0.1:${port} (data in ${dir}, removed at the end)`,
        clean: async () => {},
        close,
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await close();
  return `redis-server did not answer on port ${port} within ${START_TIMEOUT_MS} ms`;
}

/** REDIS_URL (default redis://127.0.0.1:6379) if usable, else a private redis-server; throws RedisUnavailable. */
export async function sandboxRedis(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SandboxRedis> {
  const url = env.REDIS_URL?.trim() || DEFAULT_URL;
  const given = await usable(url);
  if (given.ok)
    return {
      url,
      kind: 'given',
      note: given.note,
      clean: (prefix) => deleteByPrefix(url, prefix),
      close: async () => {},
    };
  const started = await startPrivate();
  if (typeof started !== 'string') return started;
  throw new RedisUnavailable(`${given.why}; ${started}`);
}
