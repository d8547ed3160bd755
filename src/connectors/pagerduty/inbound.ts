import { finishEvent } from '../shared/finish-event.ts';
import { verifySignatureHeader } from '../shared/hmac.ts';
import { toPayloadIssues } from '../shared/zod-issues.ts';
import type { Comment } from '../../domain/incident-event.ts';
import type { InboundRequest, NormalizeResult } from '../inbound-source.ts';
import { lookup, PD_EVENT_KINDS, PD_INCIDENT_EVENT_PREFIX, PD_PING_EVENT } from './mapping.ts';
import { PdEnvelope, PdIncidentWebhook, type PdIncidentData, type PdReference } from './schema.ts';

/**
 * `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`: one HMAC-SHA256 of the raw body per active
 * secret, several while a secret rotates; entries of other (future) versions are skipped.
 * https://developer.pagerduty.com/docs/verifying-webhook-signatures
 */
export const SIGNATURE_HEADER = 'x-pagerduty-signature';
/**
 * Delivery id header (secondary source: PagerDuty's support docs name only `x-webhook-subscription`
 * and `x-pagerduty-signature` as v3 headers). It is outside the signature, so it is logged only:
 * the duplicate key is `event.id`, inside the signed body and the same on every retry of the event.
 * https://support.pagerduty.com/main/docs/webhooks
 */
export const DELIVERY_HEADER = 'x-webhook-id';
const SCHEME = 'v1=';

export function verifyPagerduty(req: InboundRequest, secrets: readonly string[]): boolean {
  return verifySignatureHeader(req.headers[SIGNATURE_HEADER], SCHEME, req.rawBody, secrets);
}

/** `incident.annotated` carries the note: it is for responders, never for customers. */
function noteOf(data: PdIncidentData, agent: PdReference | null | undefined): Comment | undefined {
  if (data.type !== 'incident_note' || typeof data.content !== 'string') return undefined;
  return {
    id: data.id ?? undefined,
    author: agent?.summary || agent?.id || undefined,
    body: data.content,
    visibility: 'internal',
  };
}

export function normalizePagerduty(body: unknown, req: InboundRequest): NormalizeResult {
  const envelope = PdEnvelope.safeParse(body);
  if (!envelope.success) return { kind: 'invalid', issues: toPayloadIssues(envelope.error) };
  const { id, event_type: eventType } = envelope.data.event;
  const deliveryId = id;
  if (eventType === PD_PING_EVENT) return { kind: 'ignored', deliveryId, reason: 'ping' };
  if (!eventType.startsWith(PD_INCIDENT_EVENT_PREFIX))
    return { kind: 'ignored', deliveryId, reason: `unhandled event_type ${eventType}` };

  const parsed = PdIncidentWebhook.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: toPayloadIssues(parsed.error) };
  const { data, agent, occurred_at: occurredAt } = parsed.data.event;
  const isIncident = !data.incident;
  // The schema guarantees the id this picks is present.
  const incidentId = (isIncident ? data.id : data.incident?.id) ?? '';
  return finishEvent(
    {
      source: 'pagerduty',
      deliveryId,
      kind: lookup(PD_EVENT_KINDS, eventType) ?? 'page.other',
      vendorEvent: eventType,
      recordId: incidentId,
      number: typeof data.number === 'number' ? String(data.number) : undefined,
      title: (isIncident ? data.title : data.incident?.summary) ?? undefined,
      serviceName: data.service?.summary ?? undefined,
      updatedAt: occurredAt,
      updatedBy: agent?.id ?? undefined,
      changedFields: [],
      comment: noteOf(data, agent),
      page: {
        incidentId,
        status: data.status ?? undefined,
        dedupKey: data.incident_key ?? undefined,
        serviceName: data.service?.summary ?? undefined,
        urgency: data.urgency ?? undefined,
        agent: agent?.summary ?? undefined,
      },
      receivedAt: req.receivedAt.toISOString(),
    },
    'event.occurred_at',
  );
}
