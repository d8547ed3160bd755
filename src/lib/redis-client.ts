import { Cluster, type Redis } from 'ioredis';

/**
 * A connection to the data: one node (directly or found through Sentinel, both ioredis's `Redis`)
 * or a Redis Cluster (ioredis's `Cluster`). Both speak every command the stores and BullMQ send;
 * what only one node has (a single socket, its `stream`) is reached through `singleNode`.
 */
export type RedisClient = Redis | Cluster;

/** The one-node connection, or undefined for a Cluster (a socket per node, no single one to look at). */
export function singleNode(client: RedisClient): Redis | undefined {
  return client instanceof Cluster ? undefined : client;
}

/**
 * A new connection like `client` (to the same node, sentinels or cluster) for SUBSCRIBE: it keeps
 * commands while disconnected and retries them, since a subscription must come back by itself.
 */
export function subscriberOf(client: RedisClient): RedisClient {
  if (client instanceof Cluster)
    return client.duplicate([], {
      enableOfflineQueue: true,
      redisOptions: { ...client.options.redisOptions, maxRetriesPerRequest: null },
    });
  return client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
}
