import type { EventKind, IncidentState } from '../../domain/incident-event.ts';

/**
 * Lookup tables between ServiceNow codes and the domain. `satisfies Record<...>` makes a
 * missing case a compile error; `lookup` uses own properties only, so a hostile value such
 * as `constructor` never reaches Object.prototype.
 */
export { lookup } from '../shared/lookup.ts';

/** Incident `state` choice values of the base system (secondary source; admins can add more). */
export type SnStateCode = '1' | '2' | '3' | '6' | '7' | '8';
export const SN_STATES = {
  '1': 'new',
  '2': 'in_progress',
  '3': 'on_hold',
  '6': 'resolved',
  '7': 'closed',
  '8': 'canceled',
} as const satisfies Record<SnStateCode, IncidentState>;

export type SnLevel3Code = '1' | '2' | '3';
/** `impact` and `urgency`: 1 High, 2 Medium, 3 Low. */
export const SN_LEVEL3 = { '1': 1, '2': 2, '3': 3 } as const satisfies Record<SnLevel3Code, 1 | 2 | 3>;

export type SnPriorityCode = '1' | '2' | '3' | '4' | '5';
/** `priority`: 1 Critical … 5 Planning, the same scale as the domain's. */
export const SN_PRIORITIES = { '1': 1, '2': 2, '3': 3, '4': 4, '5': 5 } as const satisfies Record<
  SnPriorityCode,
  1 | 2 | 3 | 4 | 5
>;

/** The `event` our shipped business rule (or a Flow) may put in the envelope. */
export type SnWrapperEvent =
  | 'insert'
  | 'created'
  | 'update'
  | 'updated'
  | 'delete'
  | 'deleted'
  | 'comment'
  | 'comments'
  | 'work_note'
  | 'work_notes';
export const SN_EVENT_KINDS = {
  insert: 'incident.created',
  created: 'incident.created',
  update: 'incident.updated',
  updated: 'incident.updated',
  delete: 'incident.deleted',
  deleted: 'incident.deleted',
  comment: 'comment.created',
  comments: 'comment.created',
  work_note: 'comment.created',
  work_notes: 'comment.created',
} as const satisfies Record<SnWrapperEvent, EventKind>;

export type SnJournalField = 'comments' | 'work_notes';
/** Journal fields and who may read them: `comments` are customer-visible, `work_notes` are not. */
export const SN_JOURNAL_VISIBILITY = {
  comments: 'public',
  work_notes: 'internal',
} as const satisfies Record<SnJournalField, 'public' | 'internal'>;

/** Which journal a comment-flavoured envelope event points at. */
export const SN_EVENT_JOURNAL = {
  comment: 'comments',
  comments: 'comments',
  work_note: 'work_notes',
  work_notes: 'work_notes',
} as const satisfies Partial<Record<SnWrapperEvent, SnJournalField>>;
