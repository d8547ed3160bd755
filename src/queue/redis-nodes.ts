import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../lib/redis-client.ts';
import { RedisUnavailableError } from './redis.ts';

/*
 * The nodes behind a connection, where the form matters: one node (direct or through Sentinel) is
 * the connection itself; a Cluster has a connection per node, and all of mim-bridge's keys live in
 * the one slot of the `{…}` prefix.
 */

/**
 * Reads `maxmemory_policy` from INFO (CONFIG GET is often disabled on managed Redis). On a Cluster
 * every primary's: one that may evict is the answer, since the slot of `{mim}` may move to it.
 */
export async function readMaxmemoryPolicy(redis: RedisClient): Promise<string | undefined> {
  const policyOf = async (node: Redis | Cluster) => /^maxmemory_policy:(\S+)/m.exec(await node.info('memory'))?.[1];
  if (!(redis instanceof Cluster)) return policyOf(redis);
  const policies = await Promise.all(redis.nodes('master').map(policyOf));
  return policies.find((p) => p !== 'noeviction') ?? (policies.length ? 'noeviction' : undefined);
}

const slots = new Map<string, number>();

/**
 * The connection to the node that holds the keys: the client itself for one node (direct or through
 * Sentinel); on a Cluster, its connection to the primary of the prefix's slot (the slot asked once
 * with CLUSTER KEYSLOT, the primary looked up in ioredis's slot map, which follows failovers).
 * Throws RedisUnavailableError when no live connection to that primary exists (it died, and no
 * replica has taken the slot over yet).
 */
export async function primaryFor(client: RedisClient, prefix: string): Promise<Redis> {
  if (!(client instanceof Cluster)) return client;
  let slot = slots.get(prefix);
  if (slot === undefined) {
    slot = Number(await client.cluster('KEYSLOT', prefix));
    slots.set(prefix, slot);
  }
  const key = client.slots[slot]?.[0];
  const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === key);
  // A node connection is made when first used ('wait'); one that closed is gone (a Cluster does not reconnect it).
  if (!node || node.status === 'end' || node.status === 'close')
    throw new RedisUnavailableError('not_connected', `no live primary for slot ${slot} (${key ?? 'none known'})`);
  return node;
}
