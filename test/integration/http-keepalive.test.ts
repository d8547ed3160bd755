import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import type { RunningService } from '../../src/app/service.ts';
import { rawConnections, rawGet } from '../helpers/raw-http.ts';
import { stopAndClean, startTestService } from '../helpers/service.ts';

let service: RunningService | undefined;
const connections = rawConnections();
const open = connections.open;
afterEach(async () => {
  connections.destroyAll();
  if (service) await stopAndClean(service);
  service = undefined;
});

describe('HTTP keep-alive of the service (MIM_HTTP_KEEPALIVE_TIMEOUT_MS)', () => {
  it("keeps an idle connection past Node's own limit, and says how long it will", async () => {
    service = await startTestService();
    const conn = open(service.url!);
    conn.socket.write(rawGet('/healthz'));
    const first = await conn.nextResponse();
    expect(first.status).toBe(200);
    // Node's agent and proxies read this hint; 65 s is above AWS ALB's 60 s idle timeout.
    expect(first.headers['keep-alive']).toBe('timeout=65');
    // Idle for longer than Node's default would allow (5 s, plus the 1 s grace of Node ≥ 24.6).
    await new Promise((r) => setTimeout(r, 7_000));
    expect(conn.isClosed()).toBe(false);
    conn.socket.write(rawGet('/healthz'));
    expect((await conn.nextResponse()).status).toBe(200);
  }, 20_000);

  it('closes an idle connection once the configured time has passed, not before', async () => {
    service = await startTestService({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '2000' });
    const conn = open(service.url!);
    conn.socket.write(rawGet('/healthz'));
    expect((await conn.nextResponse()).headers['keep-alive']).toBe('timeout=2');
    const answeredAt = Date.now();
    await conn.closed;
    // Only a lower bound: the close can come late on a busy machine, never early.
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(1_900);
  }, 20_000);

  it('closes its kept-alive connections when it stops, without waiting out their keep-alive', async () => {
    const running = await startTestService({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '600000' });
    const conn = open(running.url!);
    conn.socket.write(rawGet('/healthz'));
    expect((await conn.nextResponse()).headers['keep-alive']).toBe('timeout=600');
    // The keep-alive is ten minutes; this test's limit is 20 s.
    await stopAndClean(running);
    await conn.closed;
  }, 20_000);

  it('refuses a keep-alive below two seconds or above an hour, naming the variable', () => {
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '1000' })).toThrow(
      /MIM_HTTP_KEEPALIVE_TIMEOUT_MS: give at least 2000 ms/,
    );
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: '7200000' })).toThrow(
      /MIM_HTTP_KEEPALIVE_TIMEOUT_MS: give at most 3600000 ms/,
    );
    expect(() => parseEnv({ MIM_HTTP_KEEPALIVE_TIMEOUT_MS: 'soon' })).toThrow(/MIM_HTTP_KEEPALIVE_TIMEOUT_MS/);
  });
});
