import { z } from 'zod';

/** One `host:port` of a sentinel or a cluster seed node (`[v6 address]:port` for IPv6). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(?:\[(?<v6>[0-9A-Fa-f:.]+)\]|(?<host>[A-Za-z0-9_.-]+)):(?<port>\d{1,5})$/;

/** The entry as a HostPort, or undefined when it is not `host:port` with a port from 1 to 65535. */
export function parseHostPort(entry: string): HostPort | undefined {
  const m = HOST_PORT.exec(entry);
  const port = Number(m?.groups?.port);
  const host = m?.groups?.v6 ?? m?.groups?.host;
  return host && port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** A comma-separated `host:port` list; an entry that is not one is named in the message (addresses are not secret). */
const hostPortList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const entries = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const parsed: HostPort[] = [];
    for (const entry of entries) {
      const hp = parseHostPort(entry);
      if (hp) parsed.push(hp);
      else
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not host:port (a port from 1 to 65535; IPv6 as [address]:port)`,
        });
    }
    return parsed;
  });

/**
 * REDIS_CLUSTER_NAT_MAP: `announced=reachable` pairs of host:port, comma-separated. A managed cluster
 * announces its nodes' private addresses; this maps each to one the service can reach.
 */
const natMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const map: Record<string, HostPort> = {};
    for (const pair of v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [from, to, extra] = pair.split('=');
      const target = to === undefined ? undefined : parseHostPort(to.trim());
      if (from === undefined || extra !== undefined || !parseHostPort(from.trim()) || !target) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not announced-host:port=reachable-host:port` });
        continue;
      }
      map[from.trim()] = target;
    }
    return map;
  });

/** The Redis topology's rows of the environment schema (env.ts spreads them in). Docs: operations.md#sentinel-cluster-and-replica-acknowledgement. */
export const REDIS_ENV = {
  REDIS_SENTINELS: hostPortList.describe(
    'Redis Sentinel: the sentinels, comma-separated host:port (e.g. `s1:26379,s2:26379,s3:26379`); the primary ' +
      'of REDIS_SENTINEL_NAME is asked of them and followed across failovers. REDIS_URL then gives only the data ' +
      "nodes' user, password, TLS (`rediss://`, also used towards the sentinels) and database. Not with " +
      'REDIS_CLUSTER_NODES',
  ),
  REDIS_SENTINEL_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('the master name the sentinels monitor (`sentinel monitor <name> …`); required with REDIS_SENTINELS'),
  REDIS_SENTINEL_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe("the sentinels' own password (`requirepass` in sentinel.conf), when they have one"),
  REDIS_CLUSTER_NODES: hostPortList.describe(
    'Redis Cluster: seed nodes, comma-separated host:port (any few of the cluster; the rest is discovered). ' +
      'REDIS_URL then gives only the user, password and TLS (`rediss://`); a cluster has database 0 only. Every key ' +
      'shares the MIM_REDIS_PREFIX hash tag, so all of mim-bridge lives in one slot. Not with REDIS_SENTINELS',
  ),
  REDIS_CLUSTER_NAT_MAP: natMap.describe(
    'Redis Cluster behind NAT (a managed cluster reached from outside its network): `announced=reachable` ' +
      'host:port pairs, comma-separated, mapping each address the cluster announces to one the service can reach',
  ),
  MIM_INTAKE_MIN_REPLICAS: z.coerce
    .number()
    .int()
    .min(0)
    .max(16)
    .default(0)
    .describe(
      'answer a webhook 202 only once at least this many replicas hold it (WAIT, or WAITAOF with ' +
        'MIM_INTAKE_REPLICA_ACK=fsynced, on the connection that wrote it), so a failover to a replica loses no ' +
        'acknowledged webhook. Too few within MIM_INTAKE_REPLICA_TIMEOUT_MS: 503 with Retry-After, as when Redis ' +
        'is down. Set it to the number of replicas: with fewer, a failover can promote one that was not asked. 0: ' +
        'answer once the primary holds it',
    ),
  MIM_INTAKE_REPLICA_ACK: z
    .enum(['replicated', 'fsynced'])
    .default('replicated')
    .describe(
      'with MIM_INTAKE_MIN_REPLICAS, what the replicas confirm: `replicated`, they received the write (WAIT); ' +
        '`fsynced`, they wrote it to their AOF and fsynced it (WAITAOF, Redis 7.2 or later with appendonly on the ' +
        'replicas; start-up refuses a server without it)',
    ),
  MIM_INTAKE_REPLICA_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1, 'give at least 1 ms (WAIT with 0 would wait for ever)')
    .default(500)
    .describe(
      'with MIM_INTAKE_MIN_REPLICAS, how long a webhook waits for the replicas to confirm; must be below ' +
        'MIM_INTAKE_REDIS_TIMEOUT_MS, which bounds the whole of the Redis part of a webhook',
    ),
};

type RedisEnv = {
  readonly REDIS_URL: string;
  readonly REDIS_SENTINELS?: readonly HostPort[] | undefined;
  readonly REDIS_SENTINEL_NAME?: string | undefined;
  readonly REDIS_SENTINEL_PASSWORD?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: readonly HostPort[] | undefined;
  readonly REDIS_CLUSTER_NAT_MAP?: Readonly<Record<string, HostPort>> | undefined;
  readonly MIM_INTAKE_MIN_REPLICAS: number;
  readonly MIM_INTAKE_REPLICA_TIMEOUT_MS: number;
  readonly MIM_INTAKE_REDIS_TIMEOUT_MS: number;
};

/** What is wrong across the Redis rows (each row alone was valid), naming every variable involved; never a value. */
export function redisEnvProblem(env: RedisEnv): { readonly variables: string[]; readonly message: string } | undefined {
  const sentinels = env.REDIS_SENTINELS?.length ? env.REDIS_SENTINELS : undefined;
  const nodes = env.REDIS_CLUSTER_NODES?.length ? env.REDIS_CLUSTER_NODES : undefined;
  if (sentinels && nodes)
    return {
      variables: ['REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'],
      message:
        'REDIS_SENTINELS and REDIS_CLUSTER_NODES are both set: give one (Sentinel-managed primary and replicas, or ' +
        'a Redis Cluster), not both',
    };
  if (sentinels && !env.REDIS_SENTINEL_NAME)
    return {
      variables: ['REDIS_SENTINEL_NAME'],
      message: 'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name the sentinels monitor)',
    };
  if (!sentinels && (env.REDIS_SENTINEL_NAME || env.REDIS_SENTINEL_PASSWORD)) {
    const set = env.REDIS_SENTINEL_NAME ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINEL_PASSWORD';
    return { variables: [set], message: `${set}: set without REDIS_SENTINELS, so nothing would use it` };
  }
  if (!nodes && env.REDIS_CLUSTER_NAT_MAP)
    return {
      variables: ['REDIS_CLUSTER_NAT_MAP'],
      message: 'REDIS_CLUSTER_NAT_MAP: set without REDIS_CLUSTER_NODES, so nothing would use it',
    };
  const db = new URL(env.REDIS_URL).pathname.replace(/^\//, '');
  if (nodes && db !== '' && db !== '0')
    return {
      variables: ['REDIS_URL'],
      message: `REDIS_URL: names database ${db}, but a Redis Cluster has only database 0 (with REDIS_CLUSTER_NODES)`,
    };
  if (env.MIM_INTAKE_MIN_REPLICAS > 0 && env.MIM_INTAKE_REPLICA_TIMEOUT_MS >= env.MIM_INTAKE_REDIS_TIMEOUT_MS)
    return {
      variables: ['MIM_INTAKE_REPLICA_TIMEOUT_MS', 'MIM_INTAKE_REDIS_TIMEOUT_MS'],
      message:
        `MIM_INTAKE_REPLICA_TIMEOUT_MS (${env.MIM_INTAKE_REPLICA_TIMEOUT_MS}) must be below ` +
        `MIM_INTAKE_REDIS_TIMEOUT_MS (${env.MIM_INTAKE_REDIS_TIMEOUT_MS}), which bounds the whole Redis part of a ` +
        'webhook, the wait for replicas included',
    };
  return undefined;
}

/** How to reach the data, from the environment: the one thing queue/redis.ts builds connections from. */
export type RedisTopology =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly url: string;
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly sentinelPassword?: string;
    }
  | {
      readonly kind: 'cluster';
      readonly url: string;
      readonly nodes: readonly HostPort[];
      readonly natMap?: Readonly<Record<string, HostPort>>;
    };

export function redisTopology(env: RedisEnv): RedisTopology {
  const url = env.REDIS_URL;
  if (env.REDIS_SENTINELS?.length && env.REDIS_SENTINEL_NAME)
    return {
      kind: 'sentinel',
      url,
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME,
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    };
  if (env.REDIS_CLUSTER_NODES?.length)
    return {
      kind: 'cluster',
      url,
      nodes: env.REDIS_CLUSTER_NODES,
      ...(env.REDIS_CLUSTER_NAT_MAP ? { natMap: env.REDIS_CLUSTER_NAT_MAP } : {}),
    };
  return { kind: 'single', url };
}
