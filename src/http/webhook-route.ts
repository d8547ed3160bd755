import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { InboundSource } from '../connectors/inbound-source.ts';
import type { Source } from '../domain/incident-event.ts';
import type { Logger } from '../observability/logger.ts';
import { deliveries, intakeDuration, intakeUnavailable } from '../observability/metrics.ts';
import { handleDelivery, type DeliveryDeps } from './webhook-handler.ts';

/** Vendors send well under this; anything larger is refused before it is buffered whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * ServiceNow's business rule, Jira and PagerDuty send plain JSON; none compresses. A compressed
 * body is refused before anything is read: inflating it would spend CPU and memory on bytes no
 * sender produces (a small bomb inflates far past the size limit), and the signature covers the
 * bytes as sent, not as inflated.
 */
function unsupportedEncoding(req: Request): string | undefined {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding.slice(0, 64) : undefined;
}

export interface WebhookRouteDeps {
  readonly sources: Readonly<Record<Source, InboundSource>>;
  readonly secrets: Readonly<Record<Source, readonly string[]>>;
  readonly accept: DeliveryDeps['accept'];
  readonly logger: Logger;
}

/** Node already lower-cases header names; repeated headers are joined the way HTTP folds them. */
function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function isSource(name: string, sources: WebhookRouteDeps['sources']): name is Source {
  return Object.hasOwn(sources, name);
}

export function webhookRouter(deps: WebhookRouteDeps): Router {
  // Case-sensitive like the app and the admin API; not strict, since a sender configured with a trailing slash is
  // harmless.
  const router = express.Router({ caseSensitive: true });
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES, inflate: false });

  router.post(
    '/webhooks/:source',
    (req: Request, res: Response, next: NextFunction) => {
      const name = String(req.params.source);
      if (!isSource(name, deps.sources)) {
        res
          .status(404)
          .json({ error: 'not_found', message: `no webhook source "${name}"; use servicenow, jira or pagerduty` });
        return;
      }
      res.locals.source = name;
      res.locals.startedAt = process.hrtime.bigint();
      if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
        finish(res, deps.logger, name, 415, 'unsupported_media_type', {
          error: 'unsupported_media_type',
          expected: 'application/json',
        });
        return;
      }
      const encoding = unsupportedEncoding(req);
      if (encoding) {
        finish(res, deps.logger, name, 415, 'unsupported_encoding', {
          error: 'unsupported_content_encoding',
          field: 'content-encoding',
          encoding,
          expected: 'identity',
        });
        return;
      }
      raw(req, res, next);
    },
    async (req: Request, res: Response) => {
      const source = res.locals.source as Source;
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await handleDelivery(
        deps.sources[source],
        { rawBody, headers: headersOf(req), receivedAt: new Date() },
        {
          secrets: deps.secrets[source],
          accept: deps.accept,
        },
      );
      if (answer.headers) res.set(answer.headers);
      const extra = answer.issues
        ? { issues: answer.issues }
        : answer.reason
          ? { reason: answer.reason, err: answer.cause }
          : {};
      const ids = {
        deliveryId: answer.deliveryId,
        ...(answer.vendorDeliveryId ? { vendorDeliveryId: answer.vendorDeliveryId } : {}),
      };
      const seconds = finish(res, deps.logger, source, answer.status, answer.outcome, answer.body, {
        ...ids,
        ...extra,
      });
      if (answer.reason) intakeUnavailable.observe({ source, reason: answer.reason }, seconds);
    },
  );

  return router;
}

/** One answer, one metric sample, one log line per delivery; returns the seconds it took. */
export function finish(
  res: Response,
  log: Logger,
  source: string,
  status: number,
  outcome: string,
  body: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): number {
  // Written directly rather than with res.json(): express's send() would hash the body for an
  // ETag and re-derive the content type on every webhook (~3 % of the intake's CPU); no sender
  // makes conditional requests.
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
  deliveries.inc({ source, outcome });
  const started = res.locals.startedAt as bigint | undefined;
  const seconds = started ? Number(process.hrtime.bigint() - started) / 1e9 : 0;
  intakeDuration.observe({ source, outcome }, seconds);
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  // Bindings per call rather than a child logger per request: same line, less work on the hot path.
  if (log.isLevelEnabled(level))
    log[level]({ source, outcome, status, ms: Math.round(seconds * 1e4) / 10, ...extra }, `webhook ${outcome}`);
  return seconds;
}
