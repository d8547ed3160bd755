import type { Server, ServerResponse } from 'node:http';

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
  // Answers under way, so that a close can tell each one to end its connection. One set entry
  // per request: the cheapest public handle on them (Node lists no responses).
  const answering = new Set<ServerResponse>();
  let closing = false;
  // Before express's own listener, which may answer synchronously (a 404, a 415).
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) {
      endAfter(res);
      return;
    }
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });
  return (deadlineMs) => {
    closing = true;
    for (const res of answering) endAfter(res);
    return closeServer(server, deadlineMs);
  };
}

/**
 * The connection ends once this answer is out. `Connection: close` while the head is unwritten
 * (Node then ends the socket after the last byte, and the client knows not to reuse it);
 * otherwise the socket is ended after the answer is handed to the OS, never cut mid-answer.
 */
function endAfter(res: ServerResponse): void {
  if (!res.headersSent) {
    res.setHeader('connection', 'close');
    return;
  }
  // Taken now: Node detaches the socket from the response as it finishes.
  const socket = res.socket;
  res.once('finish', () => socket?.end());
}

/**
 * Stops taking connections and resolves once every open one has closed. Idle ones close at once;
 * busy ones as their answers end (above) instead of after their keep-alive, 65 s by default.
 * A connection that never finishes a request (a half-sent one, a balancer's pre-opened one that
 * stays silent) is destroyed at the deadline, so a shutdown cannot hang on a client.
 */
function closeServer(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
