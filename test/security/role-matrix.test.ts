import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { checkRoute, startMatrixService, type Need, type Route } from './lib/role-matrix.ts';

/**
 * The role table of README.md and docs/admin-api.md, written out here on purpose rather than read
 * from the code: viewers read and dry-run; operators declare, move, re-staff and update major
 * incidents and act on dead letters; admins also change what decides (rules and config versions).
 */
const TABLE: Readonly<Record<string, Need>> = {
  'GET /admin/rules': 'viewer',
  'POST /admin/rules/validate': 'viewer',
  'POST /admin/rules/simulate': 'viewer',
  'GET /admin/events': 'viewer',
  'GET /admin/rules/versions': 'viewer',
  'GET /admin/rules/versions/{id}': 'viewer',
  'GET /admin/rules/versions/{id}/diff': 'viewer',
  'POST /admin/rules/reload': 'admin',
  'POST /admin/rules/apply': 'admin',
  'POST /admin/rules/rollback': 'admin',
  'GET /admin/major-incidents': 'viewer',
  'GET /admin/major-incidents/{id}': 'viewer',
  'GET /admin/board': 'viewer',
  'GET /admin/report': 'viewer',
  'GET /admin/connections': 'viewer',
  'GET /admin/readiness': 'viewer',
  'POST /admin/major-incidents': 'operator',
  'POST /admin/major-incidents/{id}/resolve': 'operator',
  'POST /admin/major-incidents/{id}/cancel': 'operator',
  'POST /admin/major-incidents/{id}/close': 'operator',
  'PATCH /admin/major-incidents/{id}/roles': 'operator',
  'POST /admin/major-incidents/{id}/audiences': 'operator',
  'POST /admin/major-incidents/{id}/updates': 'operator',
  'POST /admin/drills': 'operator',
  'GET /admin/dead-letters': 'viewer',
  'GET /admin/dead-letters/groups': 'viewer',
  'POST /admin/dead-letters/groups/replay': 'operator',
  'POST /admin/dead-letters/groups/discard': 'operator',
  'POST /admin/dead-letters/replay': 'operator',
  'POST /admin/dead-letters/{id}/replay': 'operator',
  'POST /admin/dead-letters/{id}/discard': 'operator',
  'POST /admin/session': 'public',
  'DELETE /admin/session': 'session',
  'GET /admin/queues': 'viewer',
  'GET /admin/ui': 'public',
};

const ROUTES: Route[] = Object.entries(TABLE).map(([key, need]) => {
  const [method, template] = key.split(' ') as [string, string];
  return { method, template, need };
});
/** Express strips a mount path, so the board's page and the console are the same with or without the slash. */
const ALIASES: Route[] = [
  { method: 'GET', template: '/admin/queues/', need: 'viewer' },
  { method: 'GET', template: '/admin/ui/', need: 'public' },
];

/** A version id is 12 hex digits (an unknown one answers 404 from the route); other ids name nothing. */
const concrete = (template: string) =>
  template.replace(/\{id\}/g, template.includes('/versions/') ? '0123456789ab' : 'MI-none');

let svc: TestService;
let documented: Map<string, string | undefined>;

beforeAll(async () => {
  svc = await startMatrixService();
  const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
  };
  documented = new Map(
    Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/admin'))
      .flatMap(([p, item]) =>
        Object.entries(item).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op['x-required-role']] as const),
      ),
  );
});
afterAll(async () => {
  await stopAndClean(svc);
});

describe('the role table covers the admin API', () => {
  it('lists every /admin operation of /openapi.json, and nothing else', () => {
    expect([...documented.keys()].filter((k) => !(k in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !documented.has(k))).toEqual([]);
  });

  it('agrees with the role /openapi.json declares for each operation', () => {
    const roles = ['viewer', 'operator', 'admin'];
    const disagree = Object.entries(TABLE).filter(([k, need]) =>
      roles.includes(need) ? documented.get(k) !== need : documented.get(k) !== undefined,
    );
    expect(disagree).toEqual([]);
  });
});

describe('every admin route, for no token, a bad token, viewer, operator and admin, in every spelling', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.template}`, r] as const))('%s', async (_name, route) => {
    expect(await checkRoute(svc.url!, route, concrete(route.template), [...ROUTES, ...ALIASES])).toEqual([]);
  });
});
