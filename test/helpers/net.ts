import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: bind one, note it, release it. Another process
 * can take it at any moment, so it is only for a port left closed (a refused connection) and for
 * redis-server (redis-server.ts, which retries on a failed bind). A server a test starts binds
 * port 0 and reports the port it got instead.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
