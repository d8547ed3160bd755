import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { call, login, startAdminService, TOKENS } from './lib/admin-client.ts';

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' };

describe('the session cookie by default: __Host-, Secure, whatever the hop', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startAdminService();
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  it(
    'is __Host-mim_admin_session with Secure, Path=/, HttpOnly, SameSite=Strict, though this request came over ' +
      'plain HTTP',
    async () => {
      const { setCookie } = await login(svc, TOKENS.viewer);
      const [pair, ...attrs] = setCookie.split('; ');
      expect(pair).toMatch(/^__Host-mim_admin_session=[A-Za-z0-9_-]{43}$/);
      expect(attrs.sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Strict', 'Secure']);
      expect(setCookie).not.toMatch(/Domain=/i);
    },
  );

  it('opens the API with the cookie, and clears it with the same attributes on logout', async () => {
    const { cookie } = await login(svc, TOKENS.viewer);
    expect((await call(svc, 'GET', '/admin/major-incidents', { cookie })).status).toBe(200);
    const out = await call(svc, 'DELETE', '/admin/session', { cookie, headers: SAME_ORIGIN });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe(
      '__Host-mim_admin_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
    expect((await call(svc, 'GET', '/admin/major-incidents', { cookie })).status).toBe(401);
  });

  it(
    'reads only the __Host- name: a live session id under the plain name (a cookie planted by a sibling host) is ' +
      'refused',
    async () => {
      const { cookie } = await login(svc, TOKENS.viewer);
      const id = cookie.split('=')[1]!;
      expect((await call(svc, 'GET', '/admin/major-incidents', { cookie: `mim_admin_session=${id}` })).status).toBe(
        401,
      );
    },
  );

  it("keeps the board out of frames (frame-ancestors 'none')", async () => {
    const page = await call(svc, 'GET', '/admin/queues', { token: TOKENS.viewer });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const api = await call(svc, 'GET', '/admin/queues/api/queues', { token: TOKENS.viewer });
    expect(api.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
  });
});

describe('MIM_ADMIN_COOKIE_INSECURE=true (plain-HTTP development)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startAdminService({ MIM_ADMIN_COOKIE_INSECURE: 'true' });
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  it(
    'names the cookie mim_admin_session, without Secure (a browser refuses __Host- without it), and reads only ' +
      'that name',
    async () => {
      const { cookie, setCookie } = await login(svc, TOKENS.viewer);
      const [pair, ...attrs] = setCookie.split('; ');
      expect(pair).toMatch(/^mim_admin_session=[A-Za-z0-9_-]{43}$/);
      expect(attrs.sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Strict']);
      expect((await call(svc, 'GET', '/admin/major-incidents', { cookie })).status).toBe(200);
      expect((await call(svc, 'GET', '/admin/major-incidents', { cookie: `__Host-${cookie}` })).status).toBe(401);
    },
  );
});
