import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { type RedisServerProcess, spawnRedisServer } from '../../helpers/redis-server.ts';
import { sleep } from './load.ts';

const run = promisify(execFile);

/**
 * A Redis Cluster of a test's own on loopback: three primaries and three replicas
 * (`redis-cli --cluster create … --cluster-replicas 1`), each a real `redis-server` process on a
 * free port with its own dir (AOF, noeviction, `cluster-node-timeout 1000`, so a SIGKILLed primary's
 * replica takes over within a few seconds). A restarted node keeps its nodes.conf and rejoins by
 * itself, as a replica of whichever node took its slots.
 */
interface Node {
  readonly port: number;
  readonly dir: string;
  server: RedisServerProcess | undefined;
}

export interface ClusterSet {
  /** `host:port,…` of three of the nodes, as REDIS_CLUSTER_NODES takes them. */
  readonly seeds: string;
  /** The port of the primary that holds `key`'s slot now, as the live nodes see it. */
  primaryFor(key: string): Promise<number>;
  kill(port: number): Promise<void>;
  /** Resolves once a node other than `old` is primary for `key`'s slot and the cluster is ok again. */
  promoted(key: string, old: number, timeoutMs?: number): Promise<number>;
  /** Starts the node again (same port and dir) and resolves once it is a synced replica. */
  rejoin(port: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`cluster set: ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function clusterSet(): Promise<ClusterSet> {
  const root = mkdtempSync(path.join(tmpdir(), 'mim-cluster-'));
  const nodes = new Map<number, Node>();
  const args = (dir: string) => [
    ...['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf')],
    ...['--cluster-node-timeout', '1000', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'],
    ...['--dir', dir, '--maxmemory-policy', 'noeviction'],
  ];
  const start = (dir: string, port?: number) =>
    spawnRedisServer({ args: args(dir), logFile: path.join(dir, 'redis.log'), ...(port ? { port } : {}) });
  /** One-off questions to a node: connect, ask, disconnect. */
  const ask = async <T>(port: number, q: (r: Redis) => Promise<T>): Promise<T> => {
    const r = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    r.on('error', () => {});
    try {
      await r.connect();
      return await q(r);
    } finally {
      r.disconnect();
    }
  };
  const alive = () => [...nodes.values()].filter((n) => n.server);
  const close = async () => {
    const servers = [...nodes.values()].flatMap((n) => (n.server ? [n.server] : []));
    for (const s of servers) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    rmSync(root, { recursive: true, force: true });
  };
  const clusterOk = () =>
    until('every live node reporting cluster_state:ok', 20_000, async () => {
      for (const n of alive())
        if (!/cluster_state:ok/.test(await ask(n.port, (r) => r.cluster('INFO') as Promise<string>))) return undefined;
      return true;
    });

  try {
    for (let i = 0; i < 6; i++) {
      const dir = mkdtempSync(path.join(root, 'node-'));
      const server = await start(dir);
      nodes.set(server.port, { port: server.port, dir, server });
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...[...nodes.keys()].map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await clusterOk();
    // And every replica in sync: a write confirmed by WAIT right after start-up needs one.
    await until('three replicas in sync', 20_000, async () => {
      let synced = 0;
      for (const n of alive()) {
        const info = await ask(n.port, (r) => r.info('replication'));
        if (/^role:slave/m.test(info) && /^master_link_status:up/m.test(info)) synced++;
      }
      return synced === 3 ? true : undefined;
    });
  } catch (err) {
    await close();
    throw err;
  }

  const primaryFor = async (key: string): Promise<number> => {
    for (const n of alive()) {
      const got = await ask(n.port, async (r) => {
        const slot = Number(await r.cluster('KEYSLOT', key));
        const ranges = await r.cluster('SLOTS');
        return ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
      }).catch(() => undefined);
      if (got !== undefined) return got;
    }
    throw new Error('cluster set: no live node knows the slot');
  };

  return {
    seeds: [...nodes.keys()]
      .slice(0, 3)
      .map((p) => `127.0.0.1:${p}`)
      .join(','),
    primaryFor,
    async kill(port) {
      const node = nodes.get(port);
      if (!node?.server) return;
      node.server.child.kill('SIGKILL');
      await node.server.exited;
      node.server = undefined;
    },
    async promoted(key, old, timeoutMs = 30_000) {
      const now = await until(`a primary other than ${old} for ${key}`, timeoutMs, async () => {
        const p = await primaryFor(key);
        return p !== old ? p : undefined;
      });
      await clusterOk();
      return now;
    },
    async rejoin(port, timeoutMs = 30_000) {
      const node = nodes.get(port);
      if (!node) throw new Error(`cluster set: no node on ${port}`);
      node.server = await start(node.dir, port);
      await until(`the node on ${port} a synced replica`, timeoutMs, () =>
        ask(port, async (r) => {
          const info = await r.info('replication');
          return /^role:slave/m.test(info) && /^master_link_status:up/m.test(info) ? true : undefined;
        }),
      );
      await clusterOk();
    },
    close,
  };
}
