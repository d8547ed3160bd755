import { createHash } from 'node:crypto';
import type { AdminRole } from '../../../src/http/admin/tokens.ts';
import { startTestService, type TestService } from '../../helpers/service.ts';

/**
 * The role table as a test states it, and the requests that check it: every route tried with no
 * token, a bad token and each role, on its path as written and on every spelling a router might
 * confuse with it (letter case, a trailing slash, `//`, `%2F`).
 */
export type Need = AdminRole | 'public' | 'session' | 'refused';
export type Cred = 'none' | 'bad' | AdminRole;
export const CREDS: readonly Cred[] = ['none', 'bad', 'viewer', 'operator', 'admin'];

const TOKENS: Record<AdminRole, string> = {
  viewer: 'matrix-viewer-token',
  operator: 'matrix-operator-token',
  admin: 'matrix-admin-token',
};
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const RANK: Record<AdminRole, number> = { viewer: 0, operator: 1, admin: 2 };

export const startMatrixService = (): Promise<TestService> =>
  startTestService({
    MIM_ADMIN_TOKENS: (Object.entries(TOKENS) as Array<[AdminRole, string]>)
      .map(([role, t]) => `matrix-${role}:${role}:sha256:${sha(t)}`)
      .join(','),
    MIM_ADMIN_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
  });

/** One route of a table: `method` upper-case, `template` with `{param}` or `:param` placeholders. */
export interface Route {
  readonly method: string;
  readonly template: string;
  readonly need: Need;
}

const toRegExp = (template: string) => new RegExp(`^${template.replace(/[{:]\w+}?/g, '[^/]+')}$`);

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

export async function send(base: string, method: string, path: string, cred: Cred): Promise<Answer> {
  const withBody = method === 'POST' || method === 'PATCH';
  const res = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(cred === 'none'
        ? {}
        : { authorization: `Bearer ${cred === 'bad' ? 'not-a-configured-token' : TOKENS[cred]}` }),
      ...(withBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(withBody ? { body: '{}' } : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

/** What `cred` must get from a route needing `need` when the request reaches it as written; undefined when it does. */
export function canonicalMismatch(need: Need, cred: Cred, a: Answer): string | undefined {
  const ran = a.status < 500 && a.status !== 401 && a.status !== 403 && a.body?.error !== 'unknown_endpoint';
  if (need === 'public' || need === 'session') return ran ? undefined : 'expected the route to run';
  if (cred === 'none' || cred === 'bad')
    return a.status === 401 && a.body?.error === 'unauthorized' ? undefined : 'expected 401 unauthorized';
  if (need === 'refused')
    return a.status === 404 && a.body?.error === 'unknown_endpoint'
      ? undefined
      : 'expected 404 unknown_endpoint (not offered)';
  if (RANK[cred] < RANK[need])
    return a.status === 403 && a.body?.error === 'forbidden' && a.body.required === need
      ? undefined
      : `expected 403 naming ${need}`;
  return ran ? undefined : 'expected the route to run';
}

/**
 * A spelling either never reaches the admin API (`outside`: the app's own 404 for anyone) or is for the admin router to
 * refuse.
 */
export interface Variant {
  readonly kind: string;
  readonly path: string;
  readonly outside?: boolean;
}

/** Upper-cases the first letter of the last literal segment: `/admin/rules/apply` → `/admin/rules/Apply`. */
function mixedCase(template: string, concrete: string): string {
  const tpl = template.split('/');
  const segs = concrete.split('/');
  for (let i = tpl.length - 1; i > 0; i -= 1) {
    const t = tpl[i]!;
    if (t && !t.startsWith(':') && !t.startsWith('{') && /[a-z]/.test(t) && i < segs.length) {
      segs[i] = segs[i]!.replace(/[a-z]/, (c) => c.toUpperCase());
      return segs.join('/');
    }
  }
  return concrete.replace('/admin/', '/admiN/');
}

export function variants(template: string, concrete: string): Variant[] {
  const last = concrete.lastIndexOf('/');
  return [
    { kind: 'upper-cased', path: concrete.toUpperCase(), outside: true },
    { kind: 'mixed-case prefix', path: concrete.replace(/^\/admin/, '/Admin'), outside: true },
    { kind: '%2F after the prefix', path: concrete.replace(/^\/admin\//, '/admin%2F'), outside: true },
    { kind: 'mixed-case', path: mixedCase(template, concrete) },
    { kind: 'trailing slash', path: `${concrete}/` },
    { kind: 'double slash', path: concrete.replace(/^\/admin\//, '/admin//') },
    ...(last > '/admin'.length
      ? [{ kind: '%2f for the last slash', path: `${concrete.slice(0, last)}%2f${concrete.slice(last + 1)}` }]
      : []),
  ];
}

/**
 * What a spelling must get: the app's 404 when it never reaches /admin; otherwise, if it is itself
 * a plain instance of some route in the table (`%2f` folding two segments into one parameter), that
 * route's answer; else 401 without a valid token and 404 `unknown_endpoint` with one.
 */
export function variantMismatch(
  v: Variant,
  method: string,
  table: readonly Route[],
  cred: Cred,
  a: Answer,
): string | undefined {
  if (v.outside)
    return a.status === 404 && a.body?.error === 'not_found'
      ? undefined
      : "expected the app's 404 (never reaching /admin)";
  const other = table.find((r) => r.method === method && toRegExp(r.template).test(v.path));
  if (other) return canonicalMismatch(other.need, cred, a);
  if (cred === 'none' || cred === 'bad') return a.status === 401 ? undefined : 'expected 401';
  return a.status === 404 && a.body?.error === 'unknown_endpoint' ? undefined : 'expected 404 unknown_endpoint';
}

/** Every cred on the route as written and on every variant; the mismatches as readable lines. */
export async function checkRoute(base: string, r: Route, concrete: string, table: readonly Route[]): Promise<string[]> {
  const out: string[] = [];
  for (const cred of CREDS) {
    const a = await send(base, r.method, concrete, cred);
    const m = canonicalMismatch(r.need, cred, a);
    if (m) out.push(`${r.method} ${concrete} as ${cred}: ${a.status} ${JSON.stringify(a.body)}; ${m}`);
    for (const v of variants(r.template, concrete)) {
      const b = await send(base, r.method, v.path, cred);
      const mv = variantMismatch(v, r.method, table, cred, b);
      if (mv) out.push(`${r.method} ${v.path} (${v.kind}) as ${cred}: ${b.status} ${JSON.stringify(b.body)}; ${mv}`);
    }
  }
  return out;
}
