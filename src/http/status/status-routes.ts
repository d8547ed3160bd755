import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { Logger } from '../../observability/logger.ts';
import { readPublicStatus, type PublicStatus, type PublicStatusDeps } from '../../orchestrator/public-status.ts';
import { renderAtom } from './render-atom.ts';
import { renderHtml, STATUS_CSS_HASH } from './render-html.ts';
import { renderJsonFeed } from './render-json.ts';

/**
 * The public status feed: GET /status (HTML), /status.json (JSON Feed 1.1), /status.atom (Atom).
 * Unauthenticated and read-only, so it is bounded everywhere: a per-address rate limit, one read
 * of Redis per CACHE_MS whatever the traffic (readPublicStatus reads one key per opted-in
 * service), a Redis deadline, and caching by browsers and proxies (`Cache-Control`, an ETag that
 * express derives from the body and answers `304` to). Off (404, as for any unknown path) until a
 * service opts in with `statusPage: true`.
 */

export interface StatusRouteDeps extends Omit<PublicStatusDeps, 'services'> {
  /** The active config's services (read per request: a reload that opts a service in applies). */
  readonly services: () => ReadonlyArray<{ readonly id: string; readonly name: string; readonly statusPage: boolean }>;
  readonly logger: Logger;
  /** Requests per minute per client address (default 120). */
  readonly perMinute?: number;
}

export const STATUS_TITLE = 'Service status';
/** How long one read of Redis serves every request. */
const CACHE_MS = 10_000;
const MAX_AGE_S = 30;
const REDIS_DEADLINE_MS = 2_000;

const CSP = `default-src 'none'; style-src '${STATUS_CSS_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function statusRouter(deps: StatusRouteDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  const limit = rateLimit({
    windowMs: 60_000,
    limit: deps.perMinute ?? 120,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'status',
    message: { error: 'rate_limited', reason: 'too many requests from this address' },
  });
  const optedIn = () => deps.services().filter((s) => s.statusPage);
  let cached: { at: number; status: Promise<PublicStatus> } | undefined;
  const read = (): Promise<PublicStatus> => {
    const now = Date.now();
    if (cached && now - cached.at < CACHE_MS) return cached.status;
    const status = withTimeout(
      readPublicStatus({ ...deps, services: optedIn }),
      REDIS_DEADLINE_MS,
      () => new Error('status read timed out'),
    );
    const entry = { at: now, status };
    cached = entry;
    // A failed read is not kept: the next request tries again.
    status.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return status;
  };

  const serve =
    (type: string, render: (s: PublicStatus) => string, extra: Record<string, string> = {}) =>
    async (_req: Request, res: Response): Promise<void> => {
      if (optedIn().length === 0) return void res.status(404).json({ error: 'not_found' });
      let status: PublicStatus;
      try {
        status = await read();
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'status feed: Redis did not answer');
        return void res.status(503).set('Retry-After', '5').json({ error: 'unavailable' });
      }
      res.set({
        'content-type': type,
        'cache-control': `public, max-age=${MAX_AGE_S}`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        ...extra,
      });
      res.send(render(status));
    };

  router.get(
    '/status',
    limit,
    serve('text/html; charset=utf-8', (s) => renderHtml(s, STATUS_TITLE), { 'content-security-policy': CSP }),
  );
  router.get(
    '/status.json',
    limit,
    serve('application/feed+json; charset=utf-8', (s) => renderJsonFeed(s, STATUS_TITLE)),
  );
  router.get(
    '/status.atom',
    limit,
    serve('application/atom+xml; charset=utf-8', (s) => renderAtom(s, STATUS_TITLE)),
  );
  return router;
}
