import type { InboundRequest, InboundSource, PayloadIssue } from '../connectors/inbound-source.ts';
import { futureTimeIssue } from '../connectors/shared/source-time.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { IntakeResult } from '../queue/intake.ts';
import { RedisUnavailableError, type UnavailableReason } from '../queue/redis.ts';

export type DeliveryOutcome =
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'invalid'
  | 'future_dated'
  | 'unauthorized'
  | 'unavailable'
  | 'not_json';

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly outcome: DeliveryOutcome;
  /** Known once the delivery is verified and parsed; every log line for it carries this. */
  readonly deliveryId?: string;
  /** The sender's delivery-id header, for finding the delivery in its log; never the duplicate key (unsigned). */
  readonly vendorDeliveryId?: string;
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
/** A header is up to 16 KiB; a log line needs far less of an id. */
const LOGGED_ID_MAX = 128;

function invalid(issues: readonly PayloadIssue[], outcome: DeliveryOutcome = 'invalid'): DeliveryAnswer {
  const first = issues[0];
  return {
    status: 400,
    outcome,
    issues,
    body: { error: 'invalid_payload', field: first?.path ?? '(root)', issues: issues.slice(0, 20) },
  };
}

function vendorDeliveryIdOf(source: InboundSource, req: InboundRequest): string | undefined {
  const value = source.deliveryHeader ? req.headers[source.deliveryHeader] : undefined;
  return value ? value.slice(0, LOGGED_ID_MAX) : undefined;
}

/**
 * Framework-free core of every webhook endpoint (after octokit/webhooks' verify-and-receive):
 * verify the raw bytes, then parse, then validate and normalize, then make it durable.
 * Nothing here calls a vendor.
 */
export async function handleDelivery(
  source: InboundSource,
  req: InboundRequest,
  deps: DeliveryDeps,
): Promise<DeliveryAnswer> {
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
  const vendorDeliveryId = vendorDeliveryIdOf(source, req);
  const result = source.normalize(body, req);
  if (result.kind === 'invalid') return { ...invalid(result.issues), vendorDeliveryId };
  if (result.kind === 'ignored') {
    return {
      status: 200,
      outcome: 'ignored',
      deliveryId: result.deliveryId,
      vendorDeliveryId,
      body: { accepted: false, ignored: result.reason },
    };
  }
  const { deliveryId } = result.event;
  const future = futureTimeIssue(result.event.updatedAt, req.receivedAt, result.timePath ?? 'updatedAt');
  if (future) return { ...invalid([future], 'future_dated'), deliveryId, vendorDeliveryId };
  try {
    const stored = await deps.accept(result.event);
    return stored.status === 'accepted'
      ? { status: 202, outcome: 'accepted', deliveryId, vendorDeliveryId, body: { accepted: true, id: stored.jobId } }
      : {
          status: 200,
          outcome: 'duplicate',
          deliveryId,
          vendorDeliveryId,
          body: { duplicate: true, id: stored.jobId },
        };
  } catch (err) {
    if (!(err instanceof RedisUnavailableError)) throw err;
    return {
      status: 503,
      outcome: 'unavailable',
      deliveryId,
      vendorDeliveryId,
      reason: err.reason,
      cause: err.cause,
      headers: { 'retry-after': RETRY_AFTER_SECONDS },
      body: { error: 'unavailable', message: 'event store unavailable; retry later' },
    };
  }
}
