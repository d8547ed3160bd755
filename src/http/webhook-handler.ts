import type { InboundRequest, InboundSource, PayloadIssue } from '../connectors/inbound-source.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { IntakeResult } from '../queue/intake.ts';
import { RedisUnavailableError, type UnavailableReason } from '../queue/redis.ts';

export type DeliveryOutcome =
  | 'accepted' | 'duplicate' | 'ignored' | 'invalid' | 'unauthorized' | 'unavailable' | 'not_json';

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly outcome: DeliveryOutcome;
  /** Known once the delivery is verified and parsed; every log line for it carries this. */
  readonly deliveryId?: string;
  readonly headers?: Record<string, string>;
  readonly issues?: readonly PayloadIssue[];
  readonly cause?: unknown;
  /** For `unavailable`: why Redis could not take the event. */
  readonly reason?: UnavailableReason;
}

export interface DeliveryDeps {
  readonly secrets: readonly string[];
  readonly accept: (event: IncidentEvent) => Promise<IntakeResult>;
}

/** Seconds a sender should wait before retrying while Redis is away. */
const RETRY_AFTER_SECONDS = '5';

/**
 * Framework-free core of every webhook endpoint (after octokit/webhooks' verify-and-receive):
 * verify the raw bytes, then parse, then validate and normalize, then make it durable.
 * Nothing here calls a vendor.
 */
export async function handleDelivery(source: InboundSource, req: InboundRequest, deps: DeliveryDeps): Promise<DeliveryAnswer> {
  // No secret configured means nothing can be verified: refuse, opaquely, like a bad signature.
  if (deps.secrets.length === 0 || !source.verify(req, deps.secrets)) {
    return { status: 401, outcome: 'unauthorized', body: { error: 'unauthorized' } };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return { status: 400, outcome: 'not_json', body: { error: 'invalid_json', message: 'body is not valid JSON' } };
  }
  const result = source.normalize(body, req);
  if (result.kind === 'invalid') {
    const first = result.issues[0];
    return {
      status: 400,
      outcome: 'invalid',
      issues: result.issues,
      body: { error: 'invalid_payload', field: first?.path ?? '(root)', issues: result.issues.slice(0, 20) },
    };
  }
  if (result.kind === 'ignored') {
    return { status: 200, outcome: 'ignored', deliveryId: result.deliveryId, body: { accepted: false, ignored: result.reason } };
  }
  const { deliveryId } = result.event;
  try {
    const stored = await deps.accept(result.event);
    return stored.status === 'accepted'
      ? { status: 202, outcome: 'accepted', deliveryId, body: { accepted: true, id: stored.jobId } }
      : { status: 200, outcome: 'duplicate', deliveryId, body: { duplicate: true, id: stored.jobId } };
  } catch (err) {
    if (!(err instanceof RedisUnavailableError)) throw err;
    return {
      status: 503,
      outcome: 'unavailable',
      deliveryId,
      reason: err.reason,
      cause: err.cause,
      headers: { 'retry-after': RETRY_AFTER_SECONDS },
      body: { error: 'unavailable', message: 'event store unavailable; retry later' },
    };
  }
}
