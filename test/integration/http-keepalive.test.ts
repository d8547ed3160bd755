import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/service.ts';
import { testRedis } from '../helpers/redis.ts';
import { SECRETS, startTestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/** One raw connection, so which connection a request travels on is certain (no agent in between). */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => { received += chunk; });
  const closedP = new Promise<void>((resolve) => socket.once('close', () => { closed = true; resolve(); }));
  /** Resolves with the next whole response (head and a Content-Length body) read off the connection. */
  const nextResponse = () => new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
    const check = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (received.length < end + 4 + length) return false;
      const body = received.slice(end + 4, end + 4 + length);
      received = received.slice(end + 4 + length);
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
      return true;
    };
    if (check()) return;
    const onData = () => { if (check()) cleanup(); };
    const onClose = () => { cleanup(); reject(new Error(`connection closed before a whole response; had: ${received.slice(0, 200)}`)); };
    const cleanup = () => { socket.off('data', onData); socket.off('close', onClose); };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
  return { socket, nextResponse, closed: closedP, isClosed: () => closed };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: mim\r\n\r\n`;

let service: RunningService | undefined;
let stopped = false;
afterEach(async () => {
  if (!service) return;
  if (!stopped) await service.stop();
  const { redis } = testRedis();
  const found = await redis.keys(`${service.keys.prefix}*`);
  if (found.length) await redis.unlink(...found);
  await redis.quit();
  service = undefined;
  stopped = false;
});

describe('HTTP keep-alive (MIM_HTTP_KEEPALIVE_TIMEOUT_MS)', () => {
  it('keeps an idle connection past Node\'s own 5 s, and says how long it will', async () => {
    service = await startTestService();
    const conn = rawConnection(service.url!);
    conn.socket.write(get('/healthz'));
    const first = await conn.nextResponse();
    expect(first.status).toBe(200);
    // Node's agent and proxies read this hint; 65 s is above AWS ALB's 60 s idle timeout.
    expect(first.headers['keep-alive']).toBe('timeout=65');
    // Idle for longer than Node's default keep-alive (5 s), after which it would have closed.
    await new Promise((r) => setTimeout(r, 5_500));
    expect(conn.isClosed()).toBe(false);
    conn.socket.write(get('/healthz'));
    expect((await conn.nextResponse()).status).toBe(200);
    conn.socket.destroy();
  }, 15_000);

  it('closes an idle connection after the configured time', async () => {
    service = await startTestService({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '1000' });
    const conn = rawConnection(service.url!);
    conn.socket.write(get('/healthz'));
    expect((await conn.nextResponse()).headers['keep-alive']).toBe('timeout=1');
    await conn.closed;
    expect(conn.isClosed()).toBe(true);
  }, 15_000);

  it('on stop, answers the request in flight and then closes its connection rather than waiting out the keep-alive', async () => {
    service = await startTestService({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '600000' });
    const body = JSON.stringify(wrapped(snRecord({ sys_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }), 'insert'));
    const headers = { ...signedHeaders('servicenow', SECRETS.servicenow, body), 'content-length': String(Buffer.byteLength(body)) };
    const conn = rawConnection(service.url!);
    // Half the body now: the server has the request and is waiting for the rest when stop begins.
    const half = Math.floor(body.length / 2);
    conn.socket.write(`POST /webhooks/servicenow HTTP/1.1\r\nHost: mim\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body.slice(0, half)}`);
    await new Promise((r) => setTimeout(r, 200));
    const stopping = service.stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 200));
    conn.socket.write(body.slice(half));
    const answer = await conn.nextResponse();
    expect(answer.status).toBe(202);
    // With close() alone this connection would stay open for the keep-alive: ten minutes here,
    // far beyond this test's 20 s limit.
    await conn.closed;
    await stopping;
  }, 20_000);

  it('refuses a keep-alive below a second or above an hour, naming the variable', async () => {
    const { parseEnv } = await import('../../src/config/env.ts');
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '500' })).toThrow(/MIM_HTTP_KEEPALIVE_TIMEOUT_MS: give at least 1000 ms/);
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '7200000' })).toThrow(/MIM_HTTP_KEEPALIVE_TIMEOUT_MS: give at most 3600000 ms/);
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: 'soon' })).toThrow(/MIM_HTTP_KEEPALIVE_TIMEOUT_MS/);
  });
});
