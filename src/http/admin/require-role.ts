import type { NextFunction, Request, Response } from 'express';
import { allows, type AdminRole } from './tokens.ts';

/**
 * Admin routers match paths exactly: `/admin/RULES/apply`, `/admin/rules/apply/` and
 * `/admin//rules/apply` are no route at all (404), never a differently spelt way into one.
 */
export const EXACT_ROUTING = { caseSensitive: true, strict: true } as const;

/** Marks a role guard, so a test can walk the routers and find any route without one. */
export const ROLE_GUARD: unique symbol = Symbol('mim.roleGuard');
/** Generic in the route's parameters, so the handler after it keeps its typed `req.params`. */
export interface RoleGuard {
  <P>(req: Request<P>, res: Response, next: NextFunction): void;
  readonly [ROLE_GUARD]: AdminRole;
}

/**
 * The role a route needs, in the route's own handler chain: whatever path spelling reached the
 * route, the route that runs is the one whose role was checked. Records the role and the route
 * for the audit line. A request the token check never saw (no role on it) is refused as unauthenticated.
 */
export function requireRole(needed: AdminRole): RoleGuard {
  const guard = <P>(req: Request<P>, res: Response, next: NextFunction): void => {
    res.locals.required = needed;
    res.locals.route = `${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : ''}`;
    const held = res.locals.role as AdminRole | undefined;
    if (!held) return void res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
    if (!allows(held, needed)) return void res.status(403).json({ error: 'forbidden', required: needed });
    next();
  };
  return Object.assign(guard, { [ROLE_GUARD]: needed });
}
