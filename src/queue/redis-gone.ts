import net from 'node:net';
import { type RedisClient, singleNode } from '../lib/redis-client.ts';
import type { Logger } from '../observability/logger.ts';
import { redisGone } from '../observability/metrics.ts';

/**
 * Tells a Redis that is gone from one that is slow, while a request waits on it.
 *
 * A Redis killed while a forked child runs (an AOF rewrite, a BGSAVE) goes silent instead of going
 * away: the child inherited every client socket and holds them open until it exits, at its next
 * report to the parent or when its work is done (measured 155–334 ms after a SIGKILL on a 150 MB
 * dataset, docs/reliability.md §1), so no connection closes and a request could only wait for its
 * deadline. The child closes the listening socket at once, though, so a fresh connection to the
 * same address is refused. When a request has waited `afterMs` and its connection has heard
 * nothing for as long, Redis is asked; if the address refuses, the connections are stale and are
 * dropped (ioredis reconnects by its retry strategy): what waited on them fails now (answered with
 * reason `refused`), and later requests find them not ready and are answered at once. An address
 * that accepts (a slow Redis, a proxy in front of one) or does not answer changes nothing; the
 * request's deadline still bounds the wait.
 */
export interface GoneWatch {
  /** A request starts waiting on Redis (at `performance.now()` = `at`); call the result when it is done. */
  begin(at: number): () => void;
  /** Whether the connections were dropped as gone since `at`: what failed then failed because Redis was gone. */
  droppedSince(at: number): boolean;
}

export interface GoneWatchOptions {
  /**
   * The connection whose peer is probed (the intake's); its live socket names the address (with Sentinel, the
   * primary's). A Cluster has no one socket, so the watch never probes it: ioredis's Cluster follows its nodes itself.
   */
  readonly probed: RedisClient;
  /**
   * Dropped when the probe is refused: the connections the intake's requests wait on (not a worker's: those re-send
   * what they had sent once reconnected).
   */
  readonly connections: readonly RedisClient[];
  readonly logger: Logger;
  /**
   * How long the oldest waiting request must have waited before Redis is asked. While Redis is alive but that slow, one
   * TCP connect per `everyMs` while its connection is also silent.
   */
  readonly afterMs?: number;
  /** How often the waiting requests are looked at, and so how often Redis is asked at most. */
  readonly everyMs?: number;
}

export type ProbeResult = 'refused' | 'open' | 'unknown';

/** One TCP connect, closed at once: `refused` only when nothing listens there. */
export function probeAddress(to: net.NetConnectOpts, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ ...to, timeout: timeoutMs });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done('open'));
    socket.once('timeout', () => done('unknown'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
  });
}

/**
 * The address the connection's socket is talking to now, not the URL's (a name can resolve to several). REDIS_URL is
 * always TCP (redis:// or rediss://).
 */
function peerOf(redis: RedisClient): { host: string; port: number } | undefined {
  const socket = singleNode(redis)?.stream as net.Socket | undefined;
  return socket?.remoteAddress && socket.remotePort
    ? { host: socket.remoteAddress, port: socket.remotePort }
    : undefined;
}

/**
 * One timer for all requests, running only while some wait: per request the cost is a set entry
 * (a timer and a promise each were ~1.5 % of the intake's CPU at 1,000 webhooks/s). The set keeps
 * insertion order, so its first entry is the oldest request still waiting.
 *
 * Redis is asked only when the probed connection has also been silent for `afterMs` (its socket's
 * `bytesRead` unchanged, sampled at each tick; a slow Redis still answers the other requests, a
 * gone one answers nothing). A refused connect
 * alone is not proof: a Kubernetes Service whose Redis pod is failing its readiness probe refuses
 * new connections while established ones still work, and a slow Redis still answers someone.
 */
export function goneWatch(opts: GoneWatchOptions): GoneWatch {
  const afterMs = opts.afterMs ?? 40;
  const everyMs = opts.everyMs ?? 20;
  const waiting = new Set<{ readonly at: number }>();
  let ticker: NodeJS.Timeout | undefined;
  let asking = false;
  let droppedAt = Number.NEGATIVE_INFINITY;
  // The probed connection's socket and bytes read at the last look, and when they last changed
  // (or when looking began: what it read while nobody waited says nothing about now).
  let seen: { stream: unknown; bytes: number } | undefined;
  let heardAt = 0;

  const look = () => {
    const stream = singleNode(opts.probed)?.stream as net.Socket | undefined;
    const bytes = stream?.bytesRead ?? 0;
    if (!seen || seen.stream !== stream || seen.bytes !== bytes) heardAt = performance.now();
    seen = { stream, bytes };
  };
  const silent = (now: number) => now - heardAt >= afterMs;
  const drop = (to: { host: string; port: number }) => {
    const stale = opts.connections.filter((c) => c.status === 'ready');
    if (stale.length === 0) return;
    droppedAt = performance.now();
    redisGone.inc();
    opts.logger.warn(
      { peer: `${to.host}:${to.port}`, connections: stale.length, waiting: waiting.size },
      'Redis refuses new connections while ours are silent (killed with a forked child holding the sockets?); ' +
        'dropping them to reconnect',
    );
    // Destroyed, as ioredis's own socket time-out does, not ended: a FIN to a socket the child
    // holds and never reads leaves it half-open and `ready`. The close rejects what waited on it
    // (no retries on these connections) and the retry strategy reconnects.
    for (const c of stale)
      singleNode(c)?.stream.destroy(new Error('Redis refuses new connections; dropping this silent one'));
  };
  const tick = () => {
    const oldest = waiting.values().next().value;
    if (!oldest) {
      clearInterval(ticker);
      ticker = undefined;
      return;
    }
    look();
    const now = performance.now();
    const to = peerOf(opts.probed);
    if (asking || !to || now - oldest.at < afterMs || !silent(now)) return;
    asking = true;
    void probeAddress(to, Math.max(everyMs, 100))
      .then((result) => {
        look();
        if (result === 'refused' && silent(performance.now())) drop(to);
      })
      .finally(() => {
        asking = false;
      });
  };

  return {
    begin(at) {
      const entry = { at };
      waiting.add(entry);
      if (!ticker) {
        seen = undefined;
        look();
        ticker = setInterval(tick, everyMs).unref();
      }
      return () => {
        waiting.delete(entry);
      };
    },
    droppedSince: (at) => droppedAt >= at,
  };
}
