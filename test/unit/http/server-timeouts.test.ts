import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manageConnections } from '../../../src/http/server-timeouts.ts';
import { rawConnections, rawGet } from '../../helpers/raw-http.ts';

/** A real listener whose handler waits until the test lets each request go on. */
async function listener(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer(handle);
  const close = manageConnections(server, 600_000);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

const servers: Server[] = [];
const connections = rawConnections();
const open = connections.open;
afterEach(() => {
  connections.destroyAll();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});
const gate = () => {
  let go!: () => void;
  const p = new Promise<void>((r) => {
    go = r;
  });
  return { p, go };
};
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));

describe("the listener's graceful close (manageConnections)", () => {
  it('closes an idle kept-alive connection at once', async () => {
    const { url, close } = await listener((_req, res) => res.end('ok'));
    const conn = open(url);
    conn.socket.write(rawGet('/'));
    expect((await conn.nextResponse()).headers.connection).toBe('keep-alive');
    await close(60_000);
    await conn.closed;
  });

  it(
    'lets an answer under way finish, ' + 'then closes its connection instead of keeping it for the keep-alive',
    async () => {
      const release = gate();
      const { url, close } = await listener((_req, res) => {
        void release.p.then(() => res.end('late answer'));
      });
      const conn = open(url);
      conn.socket.write(rawGet('/'));
      await tick();
      const closing = close(60_000);
      release.go();
      const answer = await conn.nextResponse();
      expect(answer.body).toBe('late answer');
      // Told not to reuse it, so a balancer cannot race a new request onto it before it closes.
      expect(answer.headers.connection).toBe('close');
      // With close() alone the connection would stay open for the keep-alive (ten minutes here).
      await conn.closed;
      await closing;
    },
  );

  it('does not cut an ended answer whose bytes are still queued for a slow reader', async () => {
    const size = 32 * 1024 * 1024;
    const { url, close } = await listener((_req, res) => res.end(Buffer.alloc(size, 'a')));
    const conn = open(url);
    conn.socket.write(rawGet('/'));
    // The reader stops reading: far more than the kernel's buffers stays queued in the server.
    conn.socket.pause();
    await tick(200);
    const closing = close(60_000);
    await tick(300);
    conn.socket.resume();
    expect((await conn.nextResponse()).body.length).toBe(size);
    await conn.closed;
    await closing;
  }, 20_000);

  it('closes a connection that has sent nothing at once', async () => {
    const { url, close } = await listener((_req, res) => res.end('ok'));
    const conn = open(url);
    await new Promise<void>((r) => conn.socket.once('connect', () => r()));
    await tick();
    await close(60_000);
    await conn.closed;
  });

  it('answers a request that arrives during the close with Connection: close', async () => {
    const { url, close } = await listener((_req, res) => res.end('ok'));
    const conn = open(url);
    // Half a head before the close (so the connection is not idle), the rest after it.
    conn.socket.write('GET / HTTP/1.1\r\nHost: mi');
    await tick();
    const closing = close(60_000);
    await tick();
    conn.socket.write('m\r\n\r\n');
    const answer = await conn.nextResponse();
    expect(answer.body).toBe('ok');
    // Told not to reuse it, so a balancer cannot race a new request onto it.
    expect(answer.headers.connection).toBe('close');
    await conn.closed;
    await closing;
  });

  it('lets an answer whose head was already sent stream to its end, then ends the connection', async () => {
    const release = gate();
    const { url, close } = await listener((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first half, ');
      void release.p.then(() => res.end('second half'));
    });
    const conn = open(url);
    conn.socket.write(rawGet('/'));
    await tick();
    const closing = close(60_000);
    await tick();
    release.go();
    const answer = await conn.nextResponse();
    expect(answer.body).toBe('first half, second half');
    await conn.closed;
    await closing;
  });

  it('gives up on a connection that never finishes its request at the deadline', async () => {
    const { url, close } = await listener((_req, res) => res.end('ok'));
    const conn = open(url);
    // Half a head: never a request, never idle, so close() alone would wait for it.
    conn.socket.write('GET / HTTP/1.1\r\nHost: mi');
    await tick();
    const startedAt = Date.now();
    await close(300);
    await conn.closed;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
  });
});
