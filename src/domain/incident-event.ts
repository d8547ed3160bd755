import { z } from 'zod';

/**
 * The vendor-neutral event every inbound delivery is normalized to.
 * It is also the `events` queue's job data, so it carries no secrets and no raw payload.
 */
export const SOURCES = ['servicenow', 'jira', 'pagerduty'] as const;
export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;

export const EVENT_KINDS = [
  'incident.created',
  'incident.updated',
  'incident.deleted',
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'page.triggered',
  'page.acknowledged',
  'page.unacknowledged',
  'page.resolved',
  'page.reopened',
  'page.escalated',
  'page.annotated',
  'page.other',
] as const;
export const EventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKind>;

/** Canonical incident state, shared by ServiceNow and Jira (status category). */
export const INCIDENT_STATES = ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'canceled'] as const;
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.infer<typeof IncidentState>;

/** ServiceNow Major Incident Management `major_incident_state` values. */
export const MAJOR_INCIDENT_STATES = ['proposed', 'accepted', 'rejected', 'canceled'] as const;
export const SnMajorIncidentState = z.enum(MAJOR_INCIDENT_STATES);
export type SnMajorIncidentState = z.infer<typeof SnMajorIncidentState>;

/**
 * Ids become parts of Redis key names (the snapshot, the duplicate record, fingerprints, the
 * record → major incident pointer), so each is bounded. The connectors' schemas hold each
 * vendor to its own, tighter format first; these bounds also hold for events built elsewhere
 * (reconciliation, the simulator API).
 */
export const RECORD_ID_MAX = 64;
/** Jira's composite ids are the longest: event name, issue id, changelog and comment ids, time. */
export const DELIVERY_ID_MAX = 256;
/** PagerDuty Events API v2: `dedup_key` is at most 255 characters. */
export const DEDUP_KEY_MAX = 255;
/** ServiceNow numbers are 40 at most; a Jira key is a project key (≤ 255 on Data Center), a dash and a number. */
export const NUMBER_MAX = 300;

export const Comment = z.object({
  id: z.string().max(RECORD_ID_MAX).optional(),
  author: z.string().optional(),
  body: z.string(),
  visibility: z.enum(['public', 'internal']),
});
export type Comment = z.infer<typeof Comment>;

export const PageInfo = z.object({
  incidentId: z.string().max(RECORD_ID_MAX),
  status: z.string().optional(),
  dedupKey: z.string().max(DEDUP_KEY_MAX).optional(),
  serviceName: z.string().optional(),
  urgency: z.string().optional(),
  agent: z.string().optional(),
});
export type PageInfo = z.infer<typeof PageInfo>;

const level3 = z.number().int().min(1).max(3);

export const IncidentEvent = z.object({
  source: Source,
  /** The sender's delivery id (stable across its retries); the events job id derives from it. */
  deliveryId: z.string().min(1).max(DELIVERY_ID_MAX),
  kind: EventKind,
  /** The vendor's own event name, kept for the timeline and for debugging. */
  vendorEvent: z.string(),
  /** Id of the record in the source system: ServiceNow sys_id, Jira issue id, PagerDuty incident id. */
  recordId: z.string().min(1).max(RECORD_ID_MAX),
  /** Human number: INC0010001, OPS-42, PagerDuty incident number. */
  number: z.string().max(NUMBER_MAX).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** Canonical priority, 1 (critical) to 5 (planning). */
  priority: z.number().int().min(1).max(5).optional(),
  impact: level3.optional(),
  urgency: level3.optional(),
  state: IncidentState.optional(),
  /** Service and CI names exactly as the source gave them; the catalogue maps them later. */
  serviceName: z.string().optional(),
  ciName: z.string().optional(),
  assignmentGroup: z.string().optional(),
  /** The person the record is assigned to, by name (ServiceNow `assigned_to`). */
  assignedTo: z.string().optional(),
  caller: z.string().optional(),
  /** The source's own update time (ISO 8601, UTC); orders updates of one record. */
  updatedAt: z.iso.datetime({ offset: true }),
  updatedBy: z.string().optional(),
  /** Field ids the delivery says changed (Jira changelog fieldId; ServiceNow when known). */
  changedFields: z.array(z.string()),
  comment: Comment.optional(),
  majorIncidentState: SnMajorIncidentState.optional(),
  page: PageInfo.optional(),
  /** When mim-bridge accepted the delivery (ISO 8601). */
  receivedAt: z.iso.datetime({ offset: true }),
});
export type IncidentEvent = z.infer<typeof IncidentEvent>;

/** The key one incident's snapshot and ordering live under: one per source record. */
export function incidentKey(e: Pick<IncidentEvent, 'source' | 'recordId'>): string {
  return `${e.source}/${e.recordId}`;
}
