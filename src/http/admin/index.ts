import express, { type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import { auditLog } from './audit.ts';
import { authenticate } from './auth.ts';
import { bodyErrors, jsonBody } from './body.ts';
import { connectionsRoutes, type ConnectionsDeps } from './connections-routes.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import { drillRoutes } from './drill-routes.ts';
import type { AdminDeps } from './deps.ts';
import { eventsRoutes } from './events-routes.ts';
import { majorIncidentRoutes } from './mi-routes.ts';
import { majorIncidentProcessRoutes } from './mi-process-routes.ts';
import { queuesBoard } from './queues-board.ts';
import { adminLimits } from './rate-limits.ts';
import { readinessRoutes, type ReadinessDeps } from './readiness-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { EXACT_ROUTING } from './require-role.ts';
import { rulesRoutes } from './rules-routes.ts';
import { rulesVersionRoutes } from './rules-version-routes.ts';
import { sessionCookie } from './session-cookie.ts';
import { sessionLookup, sessionRoutes, type SessionStore } from './session-routes.ts';
import { updateRoutes } from './update-routes.ts';

export type { AdminDeps } from './deps.ts';
export { ADMIN_MAX_BODY_BYTES } from './body.ts';

/** The browser session store and the queues Bull Board shows; without them neither is mounted. */
export interface AdminBrowserDeps {
  readonly sessions?: SessionStore;
  readonly boardQueues?: readonly Queue[];
  /**
   * MIM_ADMIN_COOKIE_INSECURE: the session cookie without Secure (and so without `__Host-`), for plain-HTTP
   * development.
   */
  readonly insecureCookie?: boolean;
}

/** Authenticated, but no admin route (or board call) answers this method and path as written. */
function unknownEndpoint(req: Request, res: Response): void {
  res.status(404).json({
    error: 'unknown_endpoint',
    reason:
      `no admin endpoint ${req.method} ${req.originalUrl.split('?')[0]}: paths are case-sensitive, without a ` +
      'trailing slash (see /openapi.json)',
  });
}

/**
 * The admin API under /admin: who is calling first (before any body is read), then JSON bodies up
 * to 256 KiB, then the routes, each with the role it needs in its own chain. Every router matches
 * exactly (EXACT_ROUTING), and what no route takes ends at `unknown_endpoint`. Every mutating call
 * leaves an audit line, refused ones too.
 */
export function adminRouter(deps: AdminDeps & AdminBrowserDeps & ConnectionsDeps & ReadinessDeps): Router {
  if (!deps.tokens.length)
    deps.logger.warn(
      'neither MIM_ADMIN_TOKEN nor MIM_ADMIN_TOKENS is set: the admin API is disabled and every /admin call ' +
        'answers 401',
    );
  const router = express.Router(EXACT_ROUTING);
  const limits = adminLimits(deps.rateLimitPerMinute ?? 300);
  const cookie = sessionCookie(deps.insecureCookie);
  if (deps.sessions)
    router.use(sessionRoutes({ tokens: deps.tokens, sessions: deps.sessions, cookie, limits, logger: deps.logger }));
  router.use(
    '/admin',
    auditLog(deps.logger),
    authenticate(deps.tokens, limits, deps.sessions && sessionLookup(deps.sessions, cookie)),
    jsonBody(),
  );
  router.use(rulesRoutes(deps), majorIncidentRoutes(deps), deadLetterRoutes(deps));
  router.use(majorIncidentProcessRoutes(deps));
  router.use(reportRoutes(deps));
  router.use(drillRoutes(deps));
  router.use(updateRoutes(deps));
  router.use(eventsRoutes(deps));
  router.use(rulesVersionRoutes(deps));
  router.use(connectionsRoutes(deps));
  router.use(readinessRoutes(deps));
  if (deps.boardQueues) router.use(queuesBoard(deps.boardQueues));
  router.use('/admin', unknownEndpoint);
  router.use('/admin', bodyErrors);
  return router;
}
