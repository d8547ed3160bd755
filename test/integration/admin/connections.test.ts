import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminTokenList } from '../../../src/config/admin-tokens.ts';
import { adminTokens, authenticate } from '../../../src/http/admin/auth.ts';
import { connectionChecker, connectionsRoutes } from '../../../src/http/admin/connections-routes.ts';
import { adminLimits } from '../../../src/http/admin/rate-limits.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'conn-viewer-token-1', operator: 'conn-operator-token-1' };
const TOKEN_LIST = `v:viewer:sha256:${sha(TOKENS.viewer)},o:operator:sha256:${sha(TOKENS.operator)}`;

const get = (base: string, token?: string) =>
  fetch(`${base}/admin/connections`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /admin/connections in the service', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ MIM_ADMIN_TOKENS: TOKEN_LIST, MIM_ADMIN_RATE_LIMIT: '1000' });
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  it('needs a token, and a viewer may read it', async () => {
    expect((await get(svc.url!)).status).toBe(401);
    const res = await get(svc.url!, TOKENS.viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; connections: { vendor: string; status: string }[] };
    expect(body.ok).toEqual(expect.any(Boolean));
    // The service's own checks, one per vendor (configured or not), not an empty list.
    expect(body.connections.map((c) => c.vendor).sort()).toEqual(
      ['email', 'jira', 'pagerduty', 'servicenow', 'slack', 'teams'].sort(),
    );
  });

  it('is declared in /openapi.json for the viewer role', async () => {
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
    };
    expect(doc.paths['/admin/connections']?.get?.['x-required-role']).toBe('viewer');
  });
});

describe('GET /admin/connections with the checks of a configured ServiceNow', () => {
  let vendor: Server;
  let requests = 0;
  let app: Server;
  let base: string;
  let clock = Date.parse('2026-01-01T00:00:00.000Z');

  beforeAll(async () => {
    vendor = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"User Not Authenticated"}}');
    });
    await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
    const vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    const checker = connectionChecker({
      env: { SERVICENOW_URL: vendorUrl, SERVICENOW_USERNAME: 'mim', SERVICENOW_PASSWORD: 'sn-secret-password' },
      routeSecret: () => undefined,
      config: () => ({ services: { services: [] }, audiences: { audiences: [] } }),
      timeoutMs: 2_000,
    });
    const tokens = adminTokens(undefined, AdminTokenList.parse(TOKEN_LIST));
    const server = express();
    server.use('/admin', authenticate(tokens, adminLimits(1000)));
    server.use(connectionsRoutes({ connections: checker }, { ttlMs: 60_000, now: () => clock }));
    app = server.listen(0, '127.0.0.1');
    await new Promise<void>((r) => app.once('listening', () => r()));
    base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => app.close(() => r()));
    await new Promise<void>((r) => vendor.close(() => r()));
  });

  it('answers the typed list with the fix, and no secret', async () => {
    const res = await get(base, TOKENS.viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: false,
      checkedAt: '2026-01-01T00:00:00.000Z',
      nextCheckAfter: '2026-01-01T00:01:00.000Z',
    });
    expect((body.connections as Array<Record<string, unknown>>).map((c) => [c.vendor, c.status])).toEqual([
      ['servicenow', 'failed'],
      ['jira', 'not_configured'],
      ['pagerduty', 'not_configured'],
      ['slack', 'not_configured'],
      ['teams', 'not_configured'],
      ['email', 'not_configured'],
    ]);
    expect((body.connections as Array<Record<string, unknown>>)[0]).toMatchObject({
      code: 'UNAUTHORIZED',
      fix: 'the credentials in SERVICENOW_USERNAME/SERVICENOW_PASSWORD are wrong or expired',
    });
    expect(JSON.stringify(body)).not.toContain('sn-secret-password');
  });

  it('calls the vendor at most once per minute, however many ask at once or after', async () => {
    const before = requests;
    clock += 60_000;
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => get(base, TOKENS.operator)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    clock += 59_999;
    expect((await get(base, TOKENS.viewer)).status).toBe(200);
    expect(requests - before).toBe(1);
    clock += 1;
    await get(base, TOKENS.viewer);
    expect(requests - before).toBe(2);
  });
});
