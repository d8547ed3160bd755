import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'viewer-token-1', operator: 'operator-token-1', admin: 'admin-token-1' };
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({
    MIM_ADMIN_TOKENS: [
      `dash:viewer:sha256:${sha(TOKENS.viewer)}`,
      `ops-bot:operator:sha256:${sha(TOKENS.operator)}`,
      `alice:admin:sha256:${sha(TOKENS.admin)}`,
    ].join(','),
    MIM_ADMIN_RATE_LIMIT: '1000',
  });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${svc.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const audits = () => svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);

describe('admin API tokens with roles (hashes only in the environment)', () => {
  it('answers 401 for a missing or unknown token, without detail', async () => {
    expect((await call('GET', '/admin/major-incidents')).status).toBe(401);
    const res = await call('GET', '/admin/major-incidents', sha(TOKENS.viewer));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });

  it('lets a viewer read and dry-run, and answers 403 naming the role for anything else', async () => {
    expect((await call('GET', '/admin/major-incidents', TOKENS.viewer)).status).toBe(200);
    const res = await call('POST', '/admin/dead-letters/replay?target=jira', TOKENS.viewer);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', required: 'operator' });
  });

  it('lets an operator act on dead letters but not reload rules; an admin may', async () => {
    expect((await call('POST', '/admin/dead-letters/nope/discard', TOKENS.operator, { reason: 'test' })).status).toBe(
      404,
    );
    expect((await call('POST', '/admin/rules/reload', TOKENS.operator, {})).status).toBe(403);
    expect((await call('POST', '/admin/rules/reload', TOKENS.admin, {})).status).toBe(200);
  });

  it('audits mutating calls with who held which role, refused ones too', async () => {
    const lines = audits();
    expect(lines.find((l) => l.path === '/admin/rules/reload' && l.status === 403)).toMatchObject({
      auth: 'ops-bot',
      role: 'operator',
    });
    expect(lines.find((l) => l.path === '/admin/rules/reload' && l.status === 200)).toMatchObject({
      auth: 'alice',
      role: 'admin',
      actor: 'alice',
    });
  });
});

describe('the admin rate limit', () => {
  it(
    'answers 429 past MIM_ADMIN_RATE_LIMIT calls a minute per token name, and counts failed authentications apart ' +
      '(test/security/admin-rate-limit.test.ts)',
    async () => {
      const limited = await startTestService({
        MIM_ADMIN_TOKENS: `dash:viewer:sha256:${sha(TOKENS.viewer)}`,
        MIM_ADMIN_RATE_LIMIT: '3',
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 8; i += 1)
          statuses.push(
            (
              await fetch(`${limited.url}/admin/major-incidents`, {
                headers: { authorization: `Bearer ${i % 2 ? 'wrong' : TOKENS.viewer}` },
              })
            ).status,
          );
        expect(statuses).toEqual([200, 401, 200, 401, 200, 401, 429, 429]);
      } finally {
        await stopAndClean(limited);
      }
    },
  );
});
