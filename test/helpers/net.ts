/**
 * A loopback port nothing listens on right now (bind one, note it, release it); one
 * implementation with the sandbox's. Another process can take it at any moment, so it is only
 * for a port deliberately left closed (a refused connection: integration/redis-down) and for
 * redis-server, which cannot bind port 0 and report it (redis-server.ts retries on a failed
 * bind). A server a test starts binds port 0 and reports the port it got instead.
 */
export { freePort } from '../../sandbox/run-service.ts';
