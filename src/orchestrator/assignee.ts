import type { IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { speaksForMi } from './latest-update.ts';
import type { MiStore } from '../store/mi-store.ts';

const SYS_ID = /^[0-9a-f]{32}$/;

/** The field of MiStore.synced that holds it. */
export const ASSIGNEE_FIELD = 'assignee';

/** The person the ServiceNow record that speaks for the major incident is assigned to: what the console shows. */
export interface Assignee {
  readonly name: string;
  /** The source's update time of the delivery that said so. */
  readonly at: string;
  /** The record's number (or sys_id). */
  readonly record: string;
}

/**
 * The assignee an event tells, or undefined: ServiceNow's `assigned_to` by name on the origin or counterpart (never a
 * child), when it differs from the one held and the delivery is not older than the one that said it. Pure.
 */
export function assigneeFrom(
  mi: MajorIncident,
  event: IncidentEvent,
  current: Assignee | undefined,
): Assignee | undefined {
  const name = event.assignedTo?.trim();
  // A bare sys_id (a delivery without display values) names nobody a person would know.
  if (event.source !== 'servicenow' || !name || SYS_ID.test(name) || !speaksForMi(mi, event)) return undefined;
  if (current && (current.name === name || Date.parse(event.updatedAt) < Date.parse(current.at))) return undefined;
  return { name, at: event.updatedAt, record: event.number ?? event.recordId };
}

/** Stores the assignee an event tells (its own hash: never races a state change); true when it did. */
export async function captureAssignee(
  store: MiStore<MajorIncident, TimelineEntry>,
  mi: MajorIncident,
  event: IncidentEvent,
): Promise<boolean> {
  if (!event.assignedTo) return false;
  const next = assigneeFrom(mi, event, (await store.synced(mi.id))[ASSIGNEE_FIELD] as Assignee | undefined);
  if (!next) return false;
  await store.setSynced(mi.id, ASSIGNEE_FIELD, next);
  return true;
}
