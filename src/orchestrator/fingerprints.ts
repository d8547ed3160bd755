import type { IncidentEvent, Source } from '../domain/incident-event.ts';

/**
 * Per-field fingerprints of what we wrote (the second echo guard, after provenance): before an
 * executor writes a value to a record it remembers `(record, field, value)`; when a change of
 * that field to that value comes back, it is our own write, whoever the vendor says made it
 * (a Jira automation acting for us, a ServiceNow flow re-saving the record, an account that is
 * not configured). Pure helpers here; the store is fingerprint-store.ts.
 */

/** The fields we write, in domain terms. */
export const WRITTEN_FIELDS = ['state', 'major_incident_state', 'priority'] as const;
export type WrittenField = (typeof WRITTEN_FIELDS)[number];

/** Vendor field ids (Jira changelog `fieldId`, ServiceNow column) → the domain field they carry. */
const FIELD_OF = {
  servicenow: {
    state: 'state',
    close_code: 'state',
    close_notes: 'state',
    major_incident_state: 'major_incident_state',
    priority: 'priority',
    impact: 'priority',
    urgency: 'priority',
  },
  jira: { status: 'state', resolution: 'state', statuscategorychangedate: 'state', priority: 'priority' },
  pagerduty: {},
} as const satisfies Record<Source, Record<string, WrittenField>>;

export function domainField(source: Source, vendorField: string): WrittenField | undefined {
  return (FIELD_OF[source] as Record<string, WrittenField>)[vendorField];
}

/** The value an event carries for a field we may have written, as the string we fingerprint. */
export function eventValue(event: IncidentEvent, field: WrittenField): string | undefined {
  const v =
    field === 'state' ? event.state : field === 'major_incident_state' ? event.majorIncidentState : event.priority;
  return v === undefined ? undefined : String(v);
}

/**
 * The (field, value) pairs of an event that could be our own write coming back: the fields its
 * changelog names, or, when the source does not say what changed (a ServiceNow business rule
 * without `changed`), every written field it carries.
 */
export function candidatePairs(event: IncidentEvent): Array<readonly [WrittenField, string]> {
  const named = event.changedFields
    .map((f) => domainField(event.source, f))
    .filter((f): f is WrittenField => f !== undefined);
  const fields = event.changedFields.length ? [...new Set(named)] : [...WRITTEN_FIELDS];
  return fields.flatMap((f) => {
    const value = eventValue(event, f);
    return value === undefined ? [] : [[f, value] as const];
  });
}

/**
 * Wholly our echo: the changelog names only fields we wrote, each to the value we wrote, and
 * there is no comment. A source that does not list changed fields is never judged wholly ours.
 */
export function isWhollyOurs(event: IncidentEvent, ours: ReadonlySet<WrittenField>): boolean {
  if (event.comment || event.changedFields.length === 0 || ours.size === 0) return false;
  return event.changedFields.every((f) => {
    const field = domainField(event.source, f);
    return field !== undefined && ours.has(field);
  });
}

/**
 * The event with the fields we wrote taken out, so they drive no decision (a two-step transition's middle state, say).
 */
export function withoutOurs(event: IncidentEvent, ours: ReadonlySet<WrittenField>): IncidentEvent {
  if (ours.size === 0) return event;
  const { state, majorIncidentState, ...rest } = event;
  return {
    ...rest,
    ...(state !== undefined && !ours.has('state') ? { state } : {}),
    ...(majorIncidentState !== undefined && !ours.has('major_incident_state') ? { majorIncidentState } : {}),
    changedFields: event.changedFields.filter((f) => {
      const field = domainField(event.source, f);
      return field === undefined || !ours.has(field);
    }),
  };
}
