import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type RedisServerProcess, spawnRedisServer } from '../../helpers/redis-server.ts';
import { sleep } from './load.ts';

/**
 * A Sentinel-managed Redis of a test's own on loopback: a primary, `replicas` replicas and three
 * sentinels (quorum 2), each a real `redis-server` process on a free port, all under one temp dir.
 * Failures are detected within a second (`down-after-milliseconds 1000`), so a SIGKILLed primary is
 * replaced within about two to three seconds. The data nodes keep an AOF (appendfsync everysec) and
 * the noeviction policy mim-bridge needs.
 */
export const MASTER_NAME = 'mim';

interface DataNode {
  readonly port: number;
  readonly dir: string;
  server: RedisServerProcess | undefined;
}

export interface SentinelSet {
  /** `host:port,…` of the three sentinels, as REDIS_SENTINELS takes them. */
  readonly sentinels: string;
  /** Every data node's port (primary and replicas). */
  readonly ports: readonly number[];
  /** The port of the primary the sentinels name now. */
  primary(): Promise<number>;
  /** SIGKILLs the data node on `port` (no shutdown, no last AOF write); resolves once it is gone. */
  kill(port: number): Promise<void>;
  /** Resolves once the sentinels name a primary other than `old`; its port. */
  promoted(old: number, timeoutMs?: number): Promise<number>;
  /**
   * Starts the node on `port` again (same port, same dir) as a replica of the current primary, as a
   * node whose config Sentinel rewrote comes back, and resolves once it has synced.
   */
  rejoin(port: number, timeoutMs?: number): Promise<void>;
  /** A plain client to the data node on `port` (the test's own reads). */
  client(port: number): Redis;
  close(): Promise<void>;
}

const fail = (what: string) => {
  throw new Error(`sentinel set: ${what}`);
};

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) return fail(`${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function sentinelSet(opts: { replicas?: number } = {}): Promise<SentinelSet> {
  const root = mkdtempSync(path.join(tmpdir(), 'mim-sentinel-'));
  const clients: Redis[] = [];
  const sentinelServers: RedisServerProcess[] = [];
  const nodes = new Map<number, DataNode>();
  const dataArgs = (dir: string) => [
    ...['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'],
    ...['--dir', dir, '--maxmemory-policy', 'noeviction'],
  ];
  const client = (port: number, extra: Record<string, unknown> = {}) => {
    const r = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 200, ...extra });
    r.on('error', () => {});
    clients.push(r);
    return r;
  };
  const startNode = async (dir: string, port: number | undefined, replicaOf: number | undefined) => {
    const args = [...dataArgs(dir), ...(replicaOf ? ['--replicaof', '127.0.0.1', String(replicaOf)] : [])];
    return spawnRedisServer({ args, logFile: path.join(dir, 'redis.log'), ...(port ? { port } : {}) });
  };
  const synced = async (port: number, timeoutMs: number) => {
    const c = client(port);
    try {
      await until(`the node on ${port} syncing with its primary`, timeoutMs, async () =>
        /^master_link_status:up/m.test(await c.info('replication')) ? true : undefined,
      );
    } finally {
      c.disconnect();
    }
  };

  const close = async () => {
    for (const c of clients) c.disconnect();
    const all = [...sentinelServers, ...[...nodes.values()].flatMap((n) => (n.server ? [n.server] : []))];
    for (const s of all) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(all.map((s) => s.exited));
    // CHAOS_KEEP_DIRS=1 keeps the servers' logs and data for a look afterwards.
    if (process.env.CHAOS_KEEP_DIRS === '1') console.log(`sentinel set kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };

  try {
    const primaryDir = mkdtempSync(path.join(root, 'node-'));
    const primary = await startNode(primaryDir, undefined, undefined);
    nodes.set(primary.port, { port: primary.port, dir: primaryDir, server: primary });
    for (let i = 0; i < (opts.replicas ?? 1); i++) {
      const dir = mkdtempSync(path.join(root, 'node-'));
      const replica = await startNode(dir, undefined, primary.port);
      nodes.set(replica.port, { port: replica.port, dir, server: replica });
      await synced(replica.port, 10_000);
    }
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(path.join(root, 'sentinel-'));
      const conf = path.join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 3000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      sentinelServers.push(
        await spawnRedisServer({ args: [conf, '--sentinel', '--dir', dir], logFile: path.join(dir, 'sentinel.log') }),
      );
    }
  } catch (err) {
    await close();
    throw err;
  }

  const sentinelClients = sentinelServers.map((s) => client(s.port, { maxRetriesPerRequest: 0 }));
  const primaryPort = async (): Promise<number> => {
    // The first sentinel that answers; they agree once a failover is over.
    for (const s of sentinelClients) {
      const addr = (await s.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME).catch(() => null)) as
        | [string, string]
        | null;
      if (addr) return Number(addr[1]);
    }
    return fail('no sentinel answers');
  };
  // Every sentinel knows the replicas and the other sentinels before the set is handed out.
  await until('the sentinels discovering each other and the replicas', 15_000, async () => {
    for (const s of sentinelClients) {
      const master = (await s.call('SENTINEL', 'master', MASTER_NAME)) as string[];
      const field = (name: string) => Number(master[master.indexOf(name) + 1]);
      if (field('num-other-sentinels') < 2 || field('num-slaves') < (opts.replicas ?? 1)) return undefined;
    }
    return true;
  });

  return {
    sentinels: sentinelServers.map((s) => `127.0.0.1:${s.port}`).join(','),
    ports: [...nodes.keys()],
    primary: primaryPort,
    async kill(port) {
      const node = nodes.get(port) ?? fail(`no data node on ${port}`);
      const server = node.server;
      if (!server) return;
      server.child.kill('SIGKILL');
      await server.exited;
      node.server = undefined;
    },
    promoted: (old, timeoutMs = 20_000) =>
      until(`a primary other than ${old} named`, timeoutMs, async () => {
        const now = await primaryPort();
        return now !== old ? now : undefined;
      }),
    async rejoin(port, timeoutMs = 20_000) {
      const node = nodes.get(port) ?? fail(`no data node on ${port}`);
      node.server = await startNode(node.dir, port, await primaryPort());
      await synced(port, timeoutMs);
    },
    client: (port) => client(port),
    close,
  };
}
