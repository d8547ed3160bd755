import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLE_GUARD } from '../../src/http/admin/require-role.ts';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { startMatrixService } from './lib/role-matrix.ts';

/**
 * A route without `requireRole`, or a router that matches loosely, must not be possible to ship:
 * this walks the app the service really serves. A loose router under an exact one is worse than
 * a missing role: `/ADMIN/...` would skip the token check, which is mounted at `/admin` exactly.
 */
interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle: ((...a: unknown[]) => unknown) & {
    stack?: Layer[];
    caseSensitive?: boolean;
    strict?: boolean;
    router?: { stack: Layer[] };
    enabled?: (s: string) => boolean;
    [ROLE_GUARD]?: string;
  };
}

/** Routes with their prefix, each router's matching, and every express app mounted whole. */
function walk(
  stack: readonly Layer[],
  out: { routes: Array<{ key: string; guarded: boolean }>; loose: string[] },
  where = 'app',
): void {
  for (const layer of stack) {
    if (layer.route) {
      const guarded = layer.route.stack.some((l) => typeof l.handle[ROLE_GUARD] === 'string');
      for (const m of Object.keys(layer.route.methods))
        out.routes.push({ key: `${m.toUpperCase()} ${where === 'app' ? '' : where}${layer.route.path}`, guarded });
    } else if (Array.isArray(layer.handle.stack)) {
      const inner = { routes: [] as typeof out.routes, loose: out.loose };
      walk(layer.handle.stack, inner, where);
      out.routes.push(...inner.routes);
      const admin = inner.routes.filter((r) => r.key.split(' ')[1]!.startsWith('/admin'));
      if (admin.length && (!layer.handle.caseSensitive || !layer.handle.strict))
        out.loose.push(`the router of ${admin[0]!.key}`);
    } else if (typeof layer.handle.enabled === 'function' && layer.handle.router) {
      const app = layer.handle as Required<Pick<Layer['handle'], 'enabled' | 'router'>>;
      if (!app.enabled('case sensitive routing') || !app.enabled('strict routing')) out.loose.push('a mounted app');
      walk(app.router.stack, out, '/admin/queues');
    }
  }
}

let svc: TestService;
let app: Express;
beforeAll(async () => {
  const listen = vi.spyOn(express.application, 'listen');
  svc = await startMatrixService();
  app = listen.mock.contexts[0] as Express;
  listen.mockRestore();
});
afterAll(async () => {
  await stopAndClean(svc);
});

/** The two routes that cannot need a role: logging in (how a browser gets one) and logging out. */
const PUBLIC = ['POST /admin/session', 'DELETE /admin/session'];

describe('the admin routers as served', () => {
  const served = () => {
    const out = { routes: [] as Array<{ key: string; guarded: boolean }>, loose: [] as string[] };
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack, out);
    return out;
  };

  it(
    'are all case-sensitive and strict, the app and the board included (other routers are not the ' + "admin API's)",
    () => {
      expect(app.enabled('case sensitive routing')).toBe(true);
      expect(served().loose).toEqual([]);
    },
  );

  it('give every /admin route a role guard in its own chain, but for logging in and out', () => {
    const admin = served().routes.filter((r) => r.key.split(' ')[1]!.startsWith('/admin'));
    expect(admin.length).toBeGreaterThan(40);
    expect(admin.filter((r) => !r.guarded && !PUBLIC.includes(r.key)).map((r) => r.key)).toEqual([]);
    expect(
      admin
        .filter((r) => PUBLIC.includes(r.key))
        .map((r) => r.key)
        .sort(),
    ).toEqual([...PUBLIC].sort());
  });
});
