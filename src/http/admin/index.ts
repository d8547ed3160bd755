import express, { type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { auditLog } from './audit.ts';
import { requireToken } from './auth.ts';
import { bodyErrors, jsonBody } from './body.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import type { AdminDeps } from './deps.ts';
import { majorIncidentRoutes } from './mi-routes.ts';
import { majorIncidentProcessRoutes } from './mi-process-routes.ts';
import { rulesRoutes } from './rules-routes.ts';
import { rulesVersionRoutes } from './rules-version-routes.ts';
import { updateRoutes } from './update-routes.ts';
import { eventsRoutes } from './events-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { queuesBoard } from './queues-board.ts';
import { sessionLookup, sessionRoutes, type SessionStore } from './session-routes.ts';
import type { Queue } from 'bullmq';

export type { AdminDeps } from './deps.ts';
export { ADMIN_MAX_BODY_BYTES } from './body.ts';

/**
 * The admin API under /admin: bearer token first (before any body is read), then JSON bodies
 * up to 256 KiB, then the routes. Every mutating call leaves an audit line, refused ones too.
 */
/** The browser session store and the queues Bull Board shows; without them neither is mounted. */
export interface AdminBrowserDeps {
  readonly sessions?: SessionStore;
  readonly boardQueues?: readonly Queue[];
}

export function adminRouter(deps: AdminDeps & AdminBrowserDeps): Router {
  if (!deps.tokens.length) deps.logger.warn('neither MIM_ADMIN_TOKEN nor MIM_ADMIN_TOKENS is set: the admin API is disabled and every /admin call answers 401');
  const router = express.Router();
  // Before the token check, by client address: guessing tokens is throttled too. 429 with RateLimit headers.
  const limiter = rateLimit({ windowMs: 60_000, limit: deps.rateLimitPerMinute ?? 300, standardHeaders: 'draft-8', legacyHeaders: false, message: { error: 'rate_limited' } });
  if (deps.sessions) router.use(sessionRoutes(deps.tokens, deps.sessions, limiter, deps.logger));
  router.use('/admin', limiter, auditLog(deps.logger), requireToken(deps.tokens, deps.sessions && sessionLookup(deps.sessions)), jsonBody());
  router.use(rulesRoutes(deps), majorIncidentRoutes(deps), deadLetterRoutes(deps));
  router.use(majorIncidentProcessRoutes(deps));
  router.use(reportRoutes(deps));
  router.use(updateRoutes(deps));
  router.use(eventsRoutes(deps));
  router.use(rulesVersionRoutes(deps));
  if (deps.boardQueues) router.use(queuesBoard(deps.boardQueues));
  router.use('/admin', bodyErrors);
  return router;
}
