import type { Server } from 'node:http';

/**
 * Keep-alive for the HTTP listener. Node closes an idle keep-alive connection after 5 s by
 * default, well below the idle timeout of the load balancers mim-bridge runs behind (AWS ALB
 * 60 s, nginx 60–75 s, Google Cloud 600 s). The balancer then sends a webhook down a connection
 * this side is closing, and the vendor gets a 502 for it; a ServiceNow business rule does not
 * retry. The side with the shorter idle timeout closes first, so this one must be the longer.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
 */
export function applyKeepAlive(server: Server, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
  // Kept above the keep-alive, as Node's own guidance for proxies has it: a connection waiting
  // for its next request must not be cut by the header deadline first.
  server.headersTimeout = Math.max(server.headersTimeout, keepAliveMs + 1_000);
}

/**
 * Stops taking connections and resolves once every open one is closed. `close()` alone would
 * wait out the keep-alive of each connection that was answering a request when it was called
 * (65 s by default); those are closed as soon as they fall idle instead.
 */
export function closeServer(server: Server, sweepMs = 100): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), sweepMs);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
