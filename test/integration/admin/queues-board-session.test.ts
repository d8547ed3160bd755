import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../src/http/admin/session-routes.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'viewer-token-b', operator: 'operator-token-b' };
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({
    MIM_ADMIN_TOKENS: `dash:viewer:sha256:${sha(TOKENS.viewer)},ops-bot:operator:sha256:${sha(TOKENS.operator)}`,
    MIM_ADMIN_RATE_LIMIT: '1000',
  });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const call = (
  method: string,
  path: string,
  auth: { token?: string; cookie?: string; sameOrigin?: boolean } = {},
  body?: unknown,
) =>
  fetch(`${svc.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(auth.sameOrigin ? { 'sec-fetch-site': 'same-origin' } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function login(token: string): Promise<string> {
  const res = await call('POST', '/admin/session', {}, { token });
  expect(res.status).toBe(201);
  const set = res.headers.get('set-cookie') ?? '';
  expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; `));
  expect(set).toContain('HttpOnly');
  expect(set).toContain('SameSite=Strict');
  expect(set).toContain('Path=/;');
  expect(set).toContain('Secure');
  return set.split(';')[0]!;
}

describe('Bull Board at /admin/queues', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    expect((await call('GET', '/admin/queues')).status).toBe(401);
    expect((await call('GET', '/admin/queues/api/queues')).status).toBe(401);
    expect((await call('GET', '/admin/queues', { cookie: `${SESSION_COOKIE}=forged` })).status).toBe(401);
    expect((await call('GET', '/admin/queues', { cookie: `${SESSION_COOKIE}=${sha(TOKENS.viewer)}` })).status).toBe(
      401,
    );
  });

  it('shows the board to a viewer, and lists the events, actions, timers and reconcile queues', async () => {
    const page = await call('GET', '/admin/queues', { token: TOKENS.viewer });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await call('GET', '/admin/queues/api/queues', { token: TOKENS.viewer });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'timers',
        'reconcile',
        ...[...svc.actions.queues.values()].map((q) => q.name),
        svc.queue.name,
      ]),
    );
    expect(names.some((n) => n.startsWith('actions-'))).toBe(true);
  });

  it(
    'leaves actions to operators, and does not offer the ones that bypass the orchestrator ' +
      '(test/security/role-matrix-board.test.ts has them all)',
    async () => {
      const retry = await call('PUT', '/admin/queues/api/queues/timers/retry/failed', { token: TOKENS.viewer });
      expect(retry.status).toBe(403);
      expect(await retry.json()).toEqual({ error: 'forbidden', required: 'operator' });
      expect(
        (await call('PUT', '/admin/queues/api/queues/timers/retry/failed', { token: TOKENS.operator })).status,
      ).toBe(200);
      expect(
        (await call('POST', '/admin/queues/api/queues/timers/add', { token: TOKENS.operator }, { name: 'x', data: {} }))
          .status,
      ).toBe(404);
      expect((await call('PUT', '/admin/queues/api/queues/timers/obliterate', { token: TOKENS.operator })).status).toBe(
        404,
      );
    },
  );
});

describe('the browser session (POST and DELETE /admin/session)', () => {
  it('refuses a wrong token and a malformed body', async () => {
    expect((await call('POST', '/admin/session', {}, { token: 'nope' })).status).toBe(401);
    expect((await call('POST', '/admin/session', {}, { tokn: TOKENS.viewer })).status).toBe(400);
  });

  it("opens the board and the admin API with the cookie alone, with the token's role", async () => {
    const cookie = await login(TOKENS.viewer);
    expect((await call('GET', '/admin/queues', { cookie })).status).toBe(200);
    expect((await call('GET', '/admin/major-incidents', { cookie })).status).toBe(200);
    const refused = await call('POST', '/admin/dead-letters/replay?target=jira', { cookie, sameOrigin: true });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'forbidden', required: 'operator' });
  });

  it('is refused after logout, even when the old cookie is sent again', async () => {
    const cookie = await login(TOKENS.operator);
    expect((await call('GET', '/admin/major-incidents', { cookie })).status).toBe(200);
    const out = await call('DELETE', '/admin/session', { cookie, sameOrigin: true });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await call('GET', '/admin/major-incidents', { cookie })).status).toBe(401);
    expect((await call('GET', '/admin/queues', { cookie })).status).toBe(401);
  });

  it('audits logging in and out with who it was', async () => {
    const lines = svc.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.audit === true && l.path === '/admin/session');
    expect(lines.filter((l) => l.method === 'POST' && l.status === 201).map((l) => l.auth)).toEqual([
      'dash',
      'ops-bot',
    ]);
    expect(lines.find((l) => l.method === 'POST' && l.status === 401)).toMatchObject({ auth: 'none' });
    expect(lines.some((l) => l.method === 'DELETE' && l.status === 204)).toBe(true);
  });
});
