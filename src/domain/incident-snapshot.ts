import type { IncidentEvent } from './incident-event.ts';

/**
 * What we know of one source record now: the lasting fields of its newest event. Per-delivery
 * parts (kind, comment, changed fields) are left out; they belong to the event, not the record.
 */
export type IncidentSnapshot = Partial<
  Pick<
    IncidentEvent,
    | 'number'
    | 'title'
    | 'description'
    | 'priority'
    | 'impact'
    | 'urgency'
    | 'state'
    | 'serviceName'
    | 'ciName'
    | 'assignmentGroup'
    | 'caller'
    | 'updatedBy'
    | 'majorIncidentState'
    | 'page'
  >
> &
  Pick<IncidentEvent, 'source' | 'recordId' | 'updatedAt'>;

const LASTING = [
  'number',
  'title',
  'description',
  'priority',
  'impact',
  'urgency',
  'state',
  'serviceName',
  'ciName',
  'assignmentGroup',
  'caller',
  'updatedBy',
  'majorIncidentState',
  'page',
] as const satisfies readonly (keyof IncidentSnapshot)[];

/** The snapshot fields an event carries; absent fields are not sent, so a slim event never blanks them. */
export function snapshotPatch(event: IncidentEvent): IncidentSnapshot {
  const patch: Record<string, unknown> = { source: event.source, recordId: event.recordId, updatedAt: event.updatedAt };
  for (const field of LASTING) if (event[field] !== undefined) patch[field] = event[field];
  return patch as IncidentSnapshot;
}
