import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Keep-alive for the HTTP listener. Node closes an idle keep-alive connection after 5 s by
 * default, well below the idle timeout of the load balancers mim-bridge runs behind (AWS ALB
 * 60 s, nginx 60–75 s, Google Cloud 600 s). The balancer then sends a webhook down a connection
 * this side is closing, and the vendor gets a 502 for it; a ServiceNow business rule does not
 * retry. The side with the shorter idle timeout closes first, so this one must be the longer.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 *
 * Returns the listener's graceful close: see `closeServer`.
 */
export function manageConnections(server: Server, keepAliveMs: number): (deadlineMs: number) => Promise<void> {
  server.keepAliveTimeout = keepAliveMs;
  // Per connection, not per request: a set entry and a 'close' listener per request cost the
  // intake ~7 % of its CPU (autocannon, alternated runs), and connections are reused. What is
  // kept per request is one weak-map entry: the answer a connection is working on.
  const sockets = new Set<Socket>();
  const answering = new WeakMap<Socket, ServerResponse>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing = false;
  // Before express's own listener, which may answer synchronously (a 404, a 415).
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    else if (res.socket) answering.set(res.socket, res);
  });
  // Node counts a connection idle once its answer has ended, even while the answer's last bytes
  // still wait to be written (a large /metrics to a slow reader), and server.close() calls this
  // itself: so nothing is closed while any connection has bytes queued.
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    for (const s of sockets) if (s.writableLength > 0) return;
    closeIdle();
  };
  return (deadlineMs) => {
    closing = true;
    for (const socket of sockets) {
      const res = answering.get(socket);
      if (res && !res.writableEnded) endAfter(res, socket);
    }
    return closeServer(server, sockets, deadlineMs);
  };
}

/**
 * The connection ends once this answer is out: `Connection: close` while its head is unwritten
 * (Node ends the socket after the last byte, and the client knows not to send another request
 * down it); after a head already sent, the socket is ended once the answer is handed to the OS.
 */
function endAfter(res: ServerResponse, socket: Socket): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  else res.once('finish', () => socket.end());
}

/**
 * Stops taking connections and resolves once every open one has closed. Idle ones (and silent
 * ones) close at once, busy ones with their answers (above) or, failing that, as soon as they
 * fall idle (looked at every 100 ms), instead of after their keep-alive, 65 s by default. A connection that never
 * finishes a request (a half-sent one, a reader too slow to take its answer) is destroyed at the
 * deadline, so a shutdown cannot hang on a client.
 */
function closeServer(server: Server, sockets: ReadonlySet<Socket>, deadlineMs: number, sweepMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const sweep = () => {
      server.closeIdleConnections();
      // Node counts a connection that has sent nothing as busy (a balancer's pre-opened one):
      // it would hold the close until the deadline. Nothing was asked on it; a balancer retries.
      for (const s of sockets) if (s.bytesRead === 0) s.destroy();
    };
    const sweeping = setInterval(sweep, sweepMs);
    // Every accepted socket is in the set, so this reaches all that Node's closeAllConnections would.
    const deadline = setTimeout(() => {
      for (const s of sockets) s.destroy();
    }, deadlineMs);
    server.close(() => {
      clearInterval(sweeping);
      clearTimeout(deadline);
      resolve();
    });
    sweep();
  });
}

export interface Listener {
  readonly url: string;
  /** Stops taking connections; resolves once all are closed, destroying what is left at the deadline. */
  close(deadlineMs: number): Promise<void>;
}

/** What can listen: an express app (its own `listen` creates the server, as tests that spy on it rely on). */
export interface Listenable {
  /** Express 5 hands a listen error (EADDRINUSE, EACCES) to the callback instead of throwing it. */
  listen(port: number, host: string, callback: (err?: Error) => void): Server;
}

/** Serves `app` on host:port with mim-bridge's keep-alive and graceful close. */
export async function listen(app: Listenable, host: string, port: number, keepAliveMs: number): Promise<Listener> {
  let close!: Listener['close'];
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    // Before the first connection: the listener is wired up synchronously, accepting later.
    close = manageConnections(s, keepAliveMs);
  });
  const addr = server.address() as AddressInfo;
  return { url: `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`, close };
}
