import net from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.ts';
import { redisGone } from '../observability/metrics.ts';
import { RedisUnavailableError } from './redis.ts';

/**
 * Tells a Redis that is gone from one that is slow, while a request waits on it.
 *
 * A Redis killed while a forked child runs (an AOF rewrite, a BGSAVE) goes silent instead of going
 * away: the child inherited every client socket and holds them open until it exits (measured:
 * 155–334 ms after a SIGKILL, longer on a larger dataset; docs/reliability.md §1), so no
 * connection closes and a request could only wait for its deadline. The child closes the listening
 * socket at once, though, so a fresh connection to the same address is refused. A request that has
 * waited `afterMs` asks; if the address refuses, the connections are stale and are dropped (ioredis
 * reconnects by its retry strategy): what waited on them fails now, and later requests find them
 * not ready and are answered at once. An address that accepts (a slow Redis, a proxy in front of
 * one) or does not answer changes nothing; the request's deadline still bounds the wait.
 */
export interface GoneWatch {
  /** Starts watching for one request: `failed` rejects with reason `refused` if Redis is found gone before `stop()`. */
  watch(): { readonly failed: Promise<never>; stop(): void };
}

export interface GoneWatchOptions {
  /** The connection whose peer is probed (the intake's); its live socket names the address. */
  readonly probed: Redis;
  /** Dropped when the probe is refused: every connection to that Redis the process holds. */
  readonly connections: readonly Redis[];
  readonly logger: Logger;
  /** The wait before a request asks. Requests that take longer than this while Redis is alive pay one loopback connect per `everyMs`, shared. */
  readonly afterMs?: number;
  /** Asked again this often while the request still waits; answers are shared for this long. */
  readonly everyMs?: number;
}

export type ProbeResult = 'refused' | 'open' | 'unknown';

/** One TCP connect, closed at once: `refused` only when nothing listens there. */
export function probeAddress(to: net.NetConnectOpts, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ ...to, timeout: timeoutMs });
    const done = (result: ProbeResult) => { socket.destroy(); resolve(result); };
    socket.once('connect', () => done('open'));
    socket.once('timeout', () => done('unknown'));
    // ENOENT: a unix socket whose file is gone.
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? 'refused' : 'unknown'));
  });
}

/** The address the connection's socket is talking to now, not the URL's (a name can resolve to several). */
function peerOf(redis: Redis): net.NetConnectOpts | undefined {
  const socket = redis.stream as net.Socket | undefined;
  if (socket?.remoteAddress && socket.remotePort) return { host: socket.remoteAddress, port: socket.remotePort };
  return redis.options.path ? { path: redis.options.path } : undefined;
}

export function goneWatch(opts: GoneWatchOptions): GoneWatch {
  const afterMs = opts.afterMs ?? 40;
  const everyMs = opts.everyMs ?? 20;
  let asking: Promise<boolean> | undefined;
  let last: { at: number; refused: boolean } | undefined;

  const drop = (to: net.NetConnectOpts) => {
    const stale = opts.connections.filter((c) => c.status === 'ready');
    if (stale.length === 0) return;
    redisGone.inc();
    opts.logger.warn({ peer: 'path' in to ? to.path : `${to.host}:${to.port}`, connections: stale.length },
      'Redis refuses new connections while ours are silent (killed with a forked child holding the sockets?); dropping them to reconnect');
    // Destroyed, as ioredis's own socket time-out does, not ended: a FIN to a socket the child
    // holds and never reads leaves it half-open and `ready`. The close rejects what waited on it
    // (no retries on these connections) and the retry strategy reconnects.
    for (const c of stale) c.stream.destroy(new Error('Redis refuses new connections; dropping this silent one'));
  };
  const ask = (): Promise<boolean> => {
    if (asking) return asking;
    if (last && performance.now() - last.at < everyMs) return Promise.resolve(last.refused);
    const to = peerOf(opts.probed);
    if (!to) return Promise.resolve(false);
    asking = probeAddress(to, Math.max(everyMs, 100)).then((result) => {
      const refused = result === 'refused';
      last = { at: performance.now(), refused };
      if (refused) drop(to);
      return refused;
    }).finally(() => { asking = undefined; });
    return asking;
  };

  return {
    watch() {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const failed = new Promise<never>((_, reject) => {
        const check = () => {
          void ask().then((refused) => {
            if (stopped) return;
            if (refused) reject(new RedisUnavailableError('refused', 'a new connection to Redis was refused while this request waited'));
            else timer = setTimeout(check, everyMs).unref();
          });
        };
        timer = setTimeout(check, afterMs).unref();
      });
      return { failed, stop: () => { stopped = true; clearTimeout(timer); } };
    },
  };
}
