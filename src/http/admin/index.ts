import express, { type Router } from 'express';
import { auditLog } from './audit.ts';
import { requireToken } from './auth.ts';
import { bodyErrors, jsonBody } from './body.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import type { AdminDeps } from './deps.ts';
import { majorIncidentRoutes } from './mi-routes.ts';
import { majorIncidentProcessRoutes } from './mi-process-routes.ts';
import { rulesRoutes } from './rules-routes.ts';
import { reportRoutes } from './report-routes.ts';

export type { AdminDeps } from './deps.ts';
export { ADMIN_MAX_BODY_BYTES } from './body.ts';

/**
 * The admin API under /admin: bearer token first (before any body is read), then JSON bodies
 * up to 256 KiB, then the routes. Every mutating call leaves an audit line, refused ones too.
 */
export function adminRouter(deps: AdminDeps): Router {
  if (!deps.token) deps.logger.warn('MIM_ADMIN_TOKEN is not set: the admin API is disabled and every /admin call answers 401');
  const router = express.Router();
  router.use('/admin', auditLog(deps.logger), requireToken(deps.token), jsonBody());
  router.use(rulesRoutes(deps), majorIncidentRoutes(deps), deadLetterRoutes(deps));
  router.use(majorIncidentProcessRoutes(deps));
  router.use(reportRoutes(deps));
  router.use('/admin', bodyErrors);
  return router;
}
