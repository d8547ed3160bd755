import type { Redis } from 'ioredis';
import type { RedisClient } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import { replicaWaitSeconds, replicasShort } from '../observability/metrics.ts';
import { RedisUnavailableError } from './redis.ts';
import { primaryFor } from './redis-nodes.ts';

/**
 * Replica-acknowledged intake (MIM_INTAKE_MIN_REPLICAS): a webhook is answered 202 only once enough
 * replicas hold it, so a failover to one of them cannot lose it.
 *
 * `WAIT n timeout` waits for the replication offset of the last write made *by the connection it is
 * sent on* (Redis keeps it per client, as the global offset right after that write). The intake's
 * writes are the job (BullMQ's add, on the producer connection) and then the duplicate record (SET
 * NX, on the dedup connection, sent only after the add answered). So WAIT goes on the dedup
 * connection after the SET: its offset is past the SET and therefore past the add, which Redis
 * propagated before it. Auto-pipelining on that connection changes nothing here: a request's WAIT is
 * sent after its SET was answered, and another request's SET pipelined in between only moves the
 * offset further on.
 *
 * WAIT blocks its connection until it returns, so requests share WAITs: at most one is in flight per
 * connection, and every request whose write finished while it was out joins the next one (sent after
 * it returns, so its offset covers them all). Under load that is one WAIT per replication round trip
 * instead of one per webhook, and a replica that has gone away costs a wait of `timeoutMs` per batch,
 * not per webhook.
 *
 * `WAITAOF 0 n timeout` (Redis 7.2+) also waits for the replicas to fsync the write to their AOF;
 * it is used with MIM_INTAKE_REPLICA_ACK=fsynced, after checking the server has it (`detect`).
 */
export type ReplicaAck = 'replicated' | 'fsynced';

export interface ReplicaWaitOptions {
  readonly minReplicas: number;
  readonly timeoutMs: number;
  readonly ack: ReplicaAck;
  /** The key prefix (a hash tag): on a Cluster, WAIT goes to the primary of its slot. */
  readonly prefix: string;
  readonly logger: Logger;
}

export interface ReplicaWait {
  /** Resolves once enough replicas hold what `connection` wrote so far; else RedisUnavailableError `replicas_short`. */
  confirm(connection: RedisClient): Promise<void>;
  /** How many replicas the primary holding the keys has online now (for /readyz). */
  online(connection: RedisClient): Promise<number>;
  readonly minReplicas: number;
  /** Whether the server has WAITAOF; logs which command confirms. Throws ReplicaAckUnsupportedError for fsynced without it. */
  detect(connection: RedisClient): Promise<{ readonly waitaof: boolean; readonly command: 'WAIT' | 'WAITAOF' }>;
}

export class ReplicaAckUnsupportedError extends Error {
  readonly code = 'REPLICA_ACK_UNSUPPORTED';
  constructor(version: string | undefined) {
    super(
      `MIM_INTAKE_REPLICA_ACK=fsynced needs WAITAOF (Redis 7.2 or later), but this Redis${version ? ` (${version})` : ''} ` +
        'does not have it: use MIM_INTAKE_REPLICA_ACK=replicated (WAIT), or upgrade Redis',
    );
    this.name = 'ReplicaAckUnsupportedError';
  }
}

/** One node's turn-taking: the WAIT out now, and the one the requests that came meanwhile wait for. */
interface Turns {
  inflight?: Promise<number>;
  next?: Promise<number>;
}

export function replicaWait(opts: ReplicaWaitOptions): ReplicaWait {
  const turns = new WeakMap<Redis, Turns>();
  let waitaof: boolean | undefined;

  /** The node connection that holds the prefix's slot: the one the intake's writes went to. */
  const nodeOf = (connection: RedisClient) => primaryFor(connection, opts.prefix);

  const ask = async (node: Redis): Promise<number> => {
    if (opts.ack === 'fsynced') {
      const reply = (await node.call('WAITAOF', 0, opts.minReplicas, opts.timeoutMs)) as [number, number];
      return reply[1];
    }
    return (await node.call('WAIT', opts.minReplicas, opts.timeoutMs)) as number;
  };

  const turn = (node: Redis): Promise<number> => {
    let t = turns.get(node);
    if (!t) {
      t = {};
      turns.set(node, t);
    }
    const state = t;
    if (!state.inflight) {
      const sent = ask(node).finally(() => {
        if (state.inflight === sent) state.inflight = undefined;
      });
      state.inflight = sent;
      return sent;
    }
    // Sent after the one in flight returns, so its offset covers this request's write.
    state.next ??= state.inflight
      .catch(() => undefined)
      .then(() => {
        state.next = undefined;
        return turn(node);
      });
    return state.next;
  };

  const detect: ReplicaWait['detect'] = async (connection) => {
    const node = await nodeOf(connection);
    const info = (await node.call('COMMAND', 'INFO', 'WAITAOF')) as unknown[];
    waitaof = Array.isArray(info) && info[0] !== null && info[0] !== undefined;
    const version = /^redis_version:(\S+)/m.exec(await node.info('server'))?.[1];
    const command = opts.ack === 'fsynced' ? 'WAITAOF' : 'WAIT';
    if (opts.ack === 'fsynced' && !waitaof) throw new ReplicaAckUnsupportedError(version);
    opts.logger.info(
      { minReplicas: opts.minReplicas, timeoutMs: opts.timeoutMs, command, waitaofAvailable: waitaof, version },
      `webhooks are answered 202 once ${opts.minReplicas} replica(s) confirm them (${command})`,
    );
    return { waitaof, command };
  };

  return {
    detect,
    minReplicas: opts.minReplicas,
    async online(connection) {
      const info = await (await nodeOf(connection)).info('replication');
      return info.split('\n').filter((l) => /^slave\d+:.*state=online/.test(l)).length;
    },
    async confirm(connection) {
      const started = performance.now();
      const node = await nodeOf(connection);
      // A Redis that was unreachable at start-up is asked now; fsynced on a server without WAITAOF is short for ever.
      if (waitaof === undefined && opts.ack === 'fsynced') await detect(connection);
      const replicas = await turn(node);
      const seconds = (performance.now() - started) / 1000;
      if (replicas >= opts.minReplicas) {
        replicaWaitSeconds.observe({ outcome: 'confirmed' }, seconds);
        return;
      }
      replicaWaitSeconds.observe({ outcome: 'short' }, seconds);
      replicasShort.inc();
      throw new RedisUnavailableError(
        'replicas_short',
        `${replicas} of ${opts.minReplicas} replica(s) confirmed within ${opts.timeoutMs} ms`,
      );
    },
  };
}
