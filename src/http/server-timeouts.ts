import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

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
  // intake ~7 % of its CPU (autocannon, alternated runs), and connections are reused.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing = false;
  // A request that arrives during the close is answered, and told that the connection then ends.
  // Before express's own listener, which may answer synchronously (a 404, a 415).
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
  });
  return (deadlineMs) => {
    closing = true;
    return closeServer(server, sockets, deadlineMs);
  };
}

/**
 * Stops taking connections and resolves once every open one has closed. Idle ones close at once,
 * busy ones as soon as they fall idle (looked at every 100 ms) instead of after their keep-alive,
 * 65 s by default. Node counts a connection idle once its answer has ended, even while the
 * answer's last bytes still wait to be written (a large /metrics to a slow reader), so nothing is
 * closed while any connection has bytes queued. A connection that never finishes a request (a
 * half-sent one, a balancer's pre-opened one that stays silent) is destroyed at the deadline, so
 * a shutdown cannot hang on a client.
 */
function closeServer(server: Server, sockets: ReadonlySet<Socket>, deadlineMs: number, sweepMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const sweep = () => {
      for (const s of sockets) if (s.writableLength > 0) return;
      server.closeIdleConnections();
    };
    const sweeping = setInterval(sweep, sweepMs);
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearInterval(sweeping);
      clearTimeout(deadline);
      resolve();
    });
    sweep();
  });
}
