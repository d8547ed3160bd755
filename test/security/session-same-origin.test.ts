import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { auditLines, call, login, startAdminService, TOKENS } from './lib/admin-client.ts';

/**
 * A cookie-authenticated change (any method but GET and HEAD) must say it came from this origin:
 * `Sec-Fetch-Site: same-origin`, or, from a browser without Fetch Metadata, an `Origin` naming this
 * host. A page on another host of the same site (SameSite does not stop it) must not replay dead
 * letters or reload rules with an operator's cookie. Bearer calls are not concerned.
 */
let svc: TestService;
let operator: string;
let host: string;
beforeAll(async () => {
  svc = await startAdminService();
  operator = (await login(svc, TOKENS.operator)).cookie;
  host = new URL(svc.url!).host;
});
afterAll(async () => {
  await stopAndClean(svc);
});

const REPLAY = '/admin/dead-letters/replay?target=jira';
/** The test service has no Jira queue: the route itself answers this when it runs. */
const RAN = { status: 409, body: { error: 'no_queue' } };
const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });

describe('a change made with the session cookie alone', () => {
  it.each([
    ['no Sec-Fetch-Site and no Origin', {}],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another host of the site)', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }],
    [
      'Sec-Fetch-Site: same-site, even with a matching Origin',
      { 'sec-fetch-site': 'same-site', origin: 'http://HOST' },
    ],
    ['an Origin on another host', { origin: 'http://evil.example' }],
    ['an Origin on another port of this host', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null', { origin: 'null' }],
  ])('is refused 403 cross_origin with %s, and nothing is replayed', async (_what, headers: Record<string, string>) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('HOST', host)]));
    expect(await answer(await call(svc, 'POST', REPLAY, { cookie: operator, headers: h }))).toMatchObject({
      status: 403,
      body: { error: 'forbidden', reason: 'cross_origin' },
    });
  });

  it.each([
    ['Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
    ['an Origin naming this host over the scheme it came on', () => ({ origin: `http://${host}` })],
    ['an Origin naming this host over HTTPS (a TLS proxy in front)', () => ({ origin: `https://${host}` })],
  ])('runs with %s', async (_what, headers: () => Record<string, string>) => {
    expect(await answer(await call(svc, 'POST', REPLAY, { cookie: operator, headers: headers() }))).toEqual(RAN);
  });

  it("covers the board's actions too", async () => {
    const path = '/admin/queues/api/queues/timers/retry/failed';
    expect(
      (await call(svc, 'PUT', path, { cookie: operator, headers: { 'sec-fetch-site': 'same-site' } })).status,
    ).toBe(403);
    expect(
      (await call(svc, 'PUT', path, { cookie: operator, headers: { 'sec-fetch-site': 'same-origin' } })).status,
    ).toBe(200);
  });

  it('is audited with the cookie as how the caller came, and the refusal', () => {
    const refused = auditLines(svc).find((l) => l.path === '/admin/dead-letters/replay' && l.status === 403);
    expect(refused).toMatchObject({ auth: 'sec-operator', role: 'operator', via: 'cookie' });
  });
});

describe('what the check does not concern', () => {
  it(
    'reads with the cookie from anywhere (GET changes nothing; ' + 'CORS keeps the answer from other origins)',
    async () => {
      expect(
        (
          await call(svc, 'GET', '/admin/dead-letters', {
            cookie: operator,
            headers: { 'sec-fetch-site': 'cross-site' },
          })
        ).status,
      ).toBe(200);
    },
  );

  it('a bearer token, which no other page can make a browser send', async () => {
    expect(
      await answer(
        await call(svc, 'POST', REPLAY, { token: TOKENS.operator, headers: { 'sec-fetch-site': 'cross-site' } }),
      ),
    ).toEqual(RAN);
  });
});

describe('logging in and out', () => {
  it(
    'refuses a login a browser says came from another origin (login CSRF), and takes one from a client that is no ' +
      'browser',
    async () => {
      const res = await call(svc, 'POST', '/admin/session', {
        body: { token: TOKENS.viewer },
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(
        (
          await call(svc, 'POST', '/admin/session', {
            body: { token: TOKENS.viewer },
            headers: { origin: 'http://evil.example' },
          })
        ).status,
      ).toBe(403);
      expect((await call(svc, 'POST', '/admin/session', { body: { token: TOKENS.viewer } })).status).toBe(201);
    },
  );

  it('refuses a cross-origin logout, and the session lives on; a same-origin one ends it', async () => {
    const { cookie } = await login(svc, TOKENS.viewer);
    expect(
      (await call(svc, 'DELETE', '/admin/session', { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(403);
    expect((await call(svc, 'DELETE', '/admin/session', { cookie })).status).toBe(403);
    expect((await call(svc, 'GET', '/admin/major-incidents', { cookie })).status).toBe(200);
    expect(
      (await call(svc, 'DELETE', '/admin/session', { cookie, headers: { 'sec-fetch-site': 'same-origin' } })).status,
    ).toBe(204);
    expect((await call(svc, 'GET', '/admin/major-incidents', { cookie })).status).toBe(401);
  });
});
