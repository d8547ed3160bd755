import { afterEach, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { call, login, startAdminService, TOKENS } from './lib/admin-client.ts';

/**
 * MIM_ADMIN_RATE_LIMIT counts twice, apart: failed authentications per client address, and calls
 * per token name. A guesser behind the same proxy as the admins (one address for all: the app
 * trusts no X-Forwarded-For) spends only the failure budget; valid tokens keep working. Every
 * request here comes from 127.0.0.1, as everyone's would behind one proxy. The windows are a
 * minute from each key's first call, far longer than these tests.
 */
const LIMIT = 4;
let svc: TestService | undefined;
afterEach(async () => {
  if (svc) await stopAndClean(svc);
  svc = undefined;
});
const start = async () => (svc = await startAdminService({ MIM_ADMIN_RATE_LIMIT: String(LIMIT) }));

const statuses = async (n: number, f: () => Promise<Response>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await f()).status);
  return out;
};

describe('failed authentications, per address', () => {
  it('answer 429 past the limit, while a valid token from the same address still gets through', async () => {
    const s = await start();
    expect(
      await statuses(LIMIT + 2, () => call(s, 'GET', '/admin/major-incidents', { token: 'a-guess-at-a-token' })),
    ).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await call(s, 'GET', '/admin/major-incidents')).status).toBe(429);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: TOKENS.viewer })).status).toBe(200);
    expect((await call(s, 'POST', '/admin/session', { body: { token: TOKENS.operator } })).status).toBe(201);
  });

  it('include refused logins, which then answer 429 too', async () => {
    const s = await start();
    expect(
      await statuses(LIMIT + 1, () => call(s, 'POST', '/admin/session', { body: { token: 'a-guess-at-a-token' } })),
    ).toEqual([401, 401, 401, 401, 429]);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: 'another-guess' })).status).toBe(429);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: TOKENS.admin })).status).toBe(200);
  });
});

describe('authenticated calls, per token name', () => {
  it('answer 429 past the limit for that token only; another token from the same address is untouched', async () => {
    const s = await start();
    expect(await statuses(LIMIT + 1, () => call(s, 'GET', '/admin/major-incidents', { token: TOKENS.viewer }))).toEqual(
      [200, 200, 200, 200, 429],
    );
    expect((await call(s, 'GET', '/admin/major-incidents', { token: TOKENS.operator })).status).toBe(200);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: 'a-guess-at-a-token' })).status).toBe(401);
  });

  it("count a session's calls against the token it was opened with, whatever carries them", async () => {
    const s = await start();
    const { cookie } = await login(s, TOKENS.operator); // the login is the token's first call
    expect(await statuses(LIMIT, () => call(s, 'GET', '/admin/major-incidents', { cookie }))).toEqual([
      200, 200, 200, 429,
    ]);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: TOKENS.operator })).status).toBe(429);
    expect((await call(s, 'GET', '/admin/major-incidents', { token: TOKENS.viewer })).status).toBe(200);
  });
});
