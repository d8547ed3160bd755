import { finishEvent } from '../shared/finish-event.ts';
import { decodeDigest, verifySignatureHeader } from '../shared/hmac.ts';
import { toPayloadIssues } from '../shared/zod-issues.ts';
import { SnMajorIncidentState, type Comment, type EventKind } from '../../domain/incident-event.ts';
import type { InboundRequest, NormalizeResult, PayloadIssue } from '../inbound-source.ts';
import {
  lookup,
  SN_EVENT_JOURNAL,
  SN_EVENT_KINDS,
  SN_JOURNAL_VISIBILITY,
  SN_LEVEL3,
  SN_PRIORITIES,
  SN_STATES,
  type SnJournalField,
} from './mapping.ts';
import { snDateTimeToIso, SnIncidentRecord, SnWrappedDelivery, type SnField } from './schema.ts';

/**
 * ServiceNow has no webhook signature of its own; our business rule signs the body with
 * `GlideCertificateEncryption.generateMac(..., 'HmacSHA256', body)`, which yields base64, so
 * both base64 (44 chars) and hex (64 chars) digests are accepted
 * (docs/setup-servicenow.md shows the business rule).
 */
export const SIGNATURE_HEADER = 'x-mim-signature';
const SCHEME = 'sha256=';

export function verifyServicenow(req: InboundRequest, secrets: readonly string[]): boolean {
  // ServiceNow's generateMac yields base64; hex is accepted too, for rules that hex-encode the MAC.
  return verifySignatureHeader(req.headers[SIGNATURE_HEADER], SCHEME, req.rawBody, secrets, decodeDigest);
}

/** Display name of a reference: `display_value`, else the plain string, else the sys_id in `value`. */
function nameOf(field: SnField | undefined): string | undefined {
  if (field === undefined) return undefined;
  const name = typeof field === 'string' ? field : field.display_value || field.value;
  return name || undefined;
}

/** Stored value of a field (a choice code, a sys_id, a text). */
function storedValue(field: SnField | undefined): string | undefined {
  if (field === undefined) return undefined;
  return (typeof field === 'string' ? field : field.value) || undefined;
}

function journalComment(record: SnIncidentRecord, preferred: SnJournalField | undefined): Comment | undefined {
  // The envelope's event names the journal; otherwise take whichever one carries text.
  const order: SnJournalField[] = preferred === 'work_notes' ? ['work_notes', 'comments'] : ['comments', 'work_notes'];
  for (const field of order) {
    const body = storedValue(record[field]);
    if (body?.trim())
      return { body, author: storedValue(record.sys_updated_by), visibility: SN_JOURNAL_VISIBILITY[field] };
  }
  return undefined;
}

function eventKind(event: string | undefined, record: SnIncidentRecord, comment: Comment | undefined): EventKind {
  const named = lookup(SN_EVENT_KINDS, event);
  // A comment event whose journal reads back empty has nothing to post: it is a plain update.
  if (named === 'comment.created') return comment ? named : 'incident.updated';
  if (named) return named;
  return record.sys_mod_count === '0' ? 'incident.created' : 'incident.updated';
}

/** A body with a `record` member is our envelope; anything else must be a bare incident record. */
function parseDelivery(body: unknown): { delivery: SnWrappedDelivery; timePath: string } | { issues: PayloadIssue[] } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'record' in body) {
    const wrapped = SnWrappedDelivery.safeParse(body);
    return wrapped.success
      ? { delivery: wrapped.data, timePath: 'record.sys_updated_on' }
      : { issues: toPayloadIssues(wrapped.error) };
  }
  const bare = SnIncidentRecord.safeParse(body);
  return bare.success
    ? { delivery: { record: bare.data }, timePath: 'sys_updated_on' }
    : { issues: toPayloadIssues(bare.error) };
}

export function normalizeServicenow(body: unknown, req: InboundRequest): NormalizeResult {
  const parsed = parseDelivery(body);
  if ('issues' in parsed) return { kind: 'invalid', issues: parsed.issues };
  const { delivery, timePath } = parsed;
  const { record, event } = delivery;

  const comment = journalComment(record, lookup(SN_EVENT_JOURNAL, event));
  const modCount = record.sys_mod_count || undefined;
  const major = SnMajorIncidentState.safeParse(storedValue(record.major_incident_state));
  return finishEvent(
    {
      source: 'servicenow',
      deliveryId: `${record.sys_id}@${modCount ?? record.sys_updated_on}`,
      kind: eventKind(event, record, comment),
      vendorEvent: event ?? 'record',
      recordId: record.sys_id,
      number: storedValue(record.number),
      title: storedValue(record.short_description),
      description: storedValue(record.description),
      priority: lookup(SN_PRIORITIES, storedValue(record.priority)),
      impact: lookup(SN_LEVEL3, storedValue(record.impact)),
      urgency: lookup(SN_LEVEL3, storedValue(record.urgency)),
      state: lookup(SN_STATES, storedValue(record.state)),
      serviceName: nameOf(record.business_service),
      ciName: nameOf(record.cmdb_ci),
      assignmentGroup: nameOf(record.assignment_group),
      assignedTo: nameOf(record.assigned_to),
      caller: nameOf(record.caller_id),
      updatedAt: snDateTimeToIso(record.sys_updated_on),
      updatedBy: storedValue(record.sys_updated_by),
      changedFields: delivery.changed ?? [],
      comment,
      majorIncidentState: major.success ? major.data : undefined,
      receivedAt: req.receivedAt.toISOString(),
    },
    timePath,
  );
}
