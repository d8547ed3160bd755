import type { IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident, RecordRef, TimelineEntry } from '../domain/major-incident.ts';
import { isOurNoteText } from './our-notes.ts';
import type { MiStore } from '../store/mi-store.ts';

/** The field of MiStore.synced that holds it. */
export const LATEST_UPDATE_FIELD = 'latestUpdate';

/** The newest public comment on a record that speaks for the major incident: what `update.text` renders. */
export interface LatestUpdate {
  readonly text: string;
  readonly author: string;
  /** The source's own time of the comment (ISO 8601). */
  readonly at: string;
  /** `admin`: posted through the admin API by the comms lead. */
  readonly source: RecordRef['source'] | 'admin';
  readonly record: string;
  /** Jira comment id, so an edit of the same comment replaces it; ServiceNow journals have none. */
  readonly commentId?: string;
}

/** The origin, or its counterpart in the other ticketing system; never a child. */
export function speaksForMi(mi: MajorIncident, e: Pick<IncidentEvent, 'source' | 'recordId' | 'number'>): boolean {
  if (mi.origin.source === e.source && mi.origin.recordId === e.recordId) return true;
  if (e.source === 'jira')
    return Boolean(
      mi.links.jira && (mi.links.jira.id === e.recordId || (e.number !== undefined && mi.links.jira.key === e.number)),
    );
  return e.source === 'servicenow' && mi.links.servicenow?.sysId === e.recordId;
}

/**
 * The latest public update an event makes, or undefined: a public comment (ServiceNow `comments`,
 * a Jira public comment) on the origin or counterpart, not written by mim-bridge, newer than the
 * one held. An edit counts only for the comment that is the latest update. Pure.
 */
export function latestUpdateFrom(
  mi: MajorIncident,
  event: IncidentEvent,
  current: LatestUpdate | undefined,
): LatestUpdate | undefined {
  const c = event.comment;
  if (c?.visibility !== 'public' || !c.body.trim() || event.kind === 'comment.deleted') return undefined;
  if (!speaksForMi(mi, event) || isOurNoteText(c.body)) return undefined;
  if (event.kind === 'comment.updated' && (!c.id || c.id !== current?.commentId)) return undefined;
  if (current && event.kind !== 'comment.updated' && Date.parse(event.updatedAt) < Date.parse(current.at))
    return undefined;
  return {
    text: c.body.trim(),
    author: c.author ?? event.updatedBy ?? '',
    at: event.updatedAt,
    source: event.source,
    record: event.number ?? event.recordId,
    ...(c.id ? { commentId: c.id } : {}),
  };
}

/** Stores the update an event makes (its own hash: never races a state change); true when it did. */
export async function captureLatestUpdate(
  store: MiStore<MajorIncident, TimelineEntry>,
  mi: MajorIncident,
  event: IncidentEvent,
): Promise<boolean> {
  if (!event.comment) return false;
  const current = (await store.synced(mi.id))[LATEST_UPDATE_FIELD] as LatestUpdate | undefined;
  const next = latestUpdateFrom(mi, event, current);
  if (!next) return false;
  await store.setSynced(mi.id, LATEST_UPDATE_FIELD, next);
  return true;
}

/** Reads it back, for the message executors. */
export async function readLatestUpdate(
  store: Pick<MiStore<MajorIncident, TimelineEntry>, 'synced'>,
  id: string,
): Promise<LatestUpdate | undefined> {
  return (await store.synced(id))[LATEST_UPDATE_FIELD] as LatestUpdate | undefined;
}
