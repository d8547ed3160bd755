import { createHash } from 'node:crypto';
import { startTestService, type TestService } from '../../helpers/service.ts';

export const sha = (t: string) => createHash('sha256').update(t).digest('hex');

/** Three tokens, one per role; their hashes are what the service is configured with. */
export const TOKENS = {
  viewer: 'security-viewer-token',
  operator: 'security-operator-token',
  admin: 'security-admin-token',
} as const;

export const startAdminService = (env: Record<string, string> = {}): Promise<TestService> =>
  startTestService({
    MIM_ADMIN_TOKENS: [
      `sec-viewer:viewer:sha256:${sha(TOKENS.viewer)}`,
      `sec-operator:operator:sha256:${sha(TOKENS.operator)}`,
      `sec-admin:admin:sha256:${sha(TOKENS.admin)}`,
    ].join(','),
    MIM_ADMIN_RATE_LIMIT: '100000',
    ...env,
  });

export interface Call {
  readonly token?: string;
  readonly cookie?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export function call(svc: TestService, method: string, path: string, c: Call = {}): Promise<Response> {
  return fetch(`${svc.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
      ...(c.cookie ? { cookie: c.cookie } : {}),
      ...c.headers,
    },
    ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
  });
}

/** Logs in with a token; the `name=value` pair to send back, and the whole Set-Cookie header. */
export async function login(svc: TestService, token: string): Promise<{ cookie: string; setCookie: string }> {
  const res = await call(svc, 'POST', '/admin/session', { body: { token } });
  if (res.status !== 201) throw new Error(`login answered ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

export const auditLines = (svc: TestService) =>
  svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);
