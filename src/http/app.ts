import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from '../observability/logger.ts';
import { healthz, readyz, type ReadinessDeps } from './health.ts';
import { metricsRoute } from './metrics-route.ts';
import { openApiRoute } from './openapi/route.ts';
import { finish, webhookRouter, MAX_BODY_BYTES, type WebhookRouteDeps } from './webhook-route.ts';
import { consoleRouter } from './console/console-route.ts';
import { statusRouter, type StatusRouteDeps } from './status/status-routes.ts';

export interface AppDeps {
  readonly webhooks: WebhookRouteDeps;
  readonly readiness: ReadinessDeps;
  readonly queues: readonly Queue[];
  readonly logger: Logger;
  /** The public status feed (/status, /status.json, /status.atom); unset, those paths are 404. */
  readonly status?: Omit<StatusRouteDeps, 'logger'>;
  /** Routers mounted by later modules (admin API); each owns its own authentication. */
  readonly extraRouters?: ReadonlyArray<express.Router>;
}

interface HttpError {
  status?: number;
  type?: string;
}

/** body-parser's errors (too large, aborted, bad encoding) → answers that name the problem, never a 500. */
function bodyErrorAnswer(
  err: HttpError,
): { status: number; outcome: string; body: Record<string, unknown> } | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return { status: 413, outcome: 'too_large', body: { error: 'payload_too_large', limitBytes: MAX_BODY_BYTES } };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        outcome: 'unsupported_media_type',
        body: { error: 'unsupported_media_type', expected: 'application/json; charset=utf-8' },
      };
    case 'entity.parse.failed':
      return { status: 400, outcome: 'invalid', body: { error: 'invalid_json', message: 'body is not valid JSON' } };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, outcome: 'invalid', body: { error: 'bad_request', message: err.type } };
    default:
      return undefined;
  }
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* is not trusted: req.ip is the peer's address (the proxy's, behind one;
  // docs/admin-api.md#authentication).
  app.set('trust proxy', false);
  // Before the first route: `/ADMIN/...` is not `/admin/...` (the admin routers also match strictly).
  app.set('case sensitive routing', true);

  app.get('/healthz', healthz);
  app.get('/readyz', readyz(deps.readiness));
  app.get('/metrics', metricsRoute(deps.queues));
  app.get('/openapi.json', openApiRoute());
  app.use(webhookRouter(deps.webhooks));
  if (deps.status) app.use(statusRouter({ ...deps.status, logger: deps.logger })); // public, read-only, rate-limited
  app.use(consoleRouter()); // /admin/ui: public static files, before the admin API's token check
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found' });
  });
  // Express needs the four-argument signature to treat this as the error handler.
  app.use((err: HttpError & Error, _req: Request, res: Response, _next: NextFunction) => {
    const answer = bodyErrorAnswer(err);
    const source = String(res.locals.source ?? 'none');
    if (answer) {
      finish(res, deps.logger, source, answer.status, answer.outcome, answer.body);
      return;
    }
    deps.logger.error({ err, source }, 'unhandled error in request');
    if (!res.headersSent) res.status(500).json({ error: 'internal' });
  });
  return app;
}
