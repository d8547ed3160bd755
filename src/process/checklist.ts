import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { declaredPeriodStart } from './timers-plan.ts';

/**
 * The mobilisation checklist, checked at the tier's mobilise target (the MIM body's "initial 15 minutes" by default):
 * validated and declared, the page acknowledged, the technical ticket open, roles assigned, the
 * first communication sent. Derived from the record and its timeline, never stored, so it can
 * never disagree with what happened. Pure.
 */
export const CHECKLIST_ITEMS = [
  'declared',
  'pageAcknowledged',
  'technicalTicket',
  'rolesAssigned',
  'firstCommunication',
] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];

export const CHECKLIST_LABELS = {
  declared: 'validated and declared',
  pageAcknowledged: 'page acknowledged',
  technicalTicket: 'technical ticket created',
  rolesAssigned: 'roles assigned (major incident manager and comms lead)',
  firstCommunication: 'first communication sent',
} as const satisfies Record<ChecklistItemId, string>;

export interface ChecklistItem {
  readonly id: ChecklistItemId;
  readonly label: string;
  readonly done: boolean;
  /** When it was done, where the timeline tells. */
  readonly at?: string;
}

const completed = (timeline: readonly TimelineEntry[], action: string) =>
  timeline.find((e) => e.kind === 'action.completed' && e.detail.do === action && !e.detail.skipped);

const since = (e: TimelineEntry, from: number) => Date.parse(e.at) >= from;

/**
 * When the page was first acknowledged (from `from`, ms: a re-open asks again), by PagerDuty's own
 * time when it gives one.
 */
export function acknowledgedAt(timeline: readonly TimelineEntry[], from = 0): string | undefined {
  const ack = timeline.find((e) => e.kind === 'page.acknowledged' && since(e, from));
  return ack ? (typeof ack.detail.occurredAt === 'string' ? ack.detail.occurredAt : ack.at) : undefined;
}

/**
 * Templates of the messages timers send to one person (the escalation to the Major Incident
 * Manager, the comms lead's reminder, the PIR owner's): `notify` jobs too, but not a
 * communication to an audience. Kept equal to TIMER_TEMPLATES in timer-fire.ts.
 */
export const PERSONAL_TEMPLATES: ReadonlySet<string> = new Set([
  'escalation',
  'mobilisation',
  'update-due',
  'pir-overdue',
]);

/**
 * The first message to an audience that went out (from `from`, ms); a skipped or failed one, or a timer's reminder to
 * a person, does not count.
 */
export function firstCommunicationAt(timeline: readonly TimelineEntry[], from = 0): string | undefined {
  return timeline.find(
    (e) =>
      e.kind === 'action.completed' &&
      since(e, from) &&
      e.detail.do === 'notify' &&
      !e.detail.skipped &&
      !(typeof e.detail.template === 'string' && PERSONAL_TEMPLATES.has(e.detail.template)),
  )?.at;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const bothRoles = (roles: Record<string, unknown>) => Boolean(roles.majorIncidentManager) && Boolean(roles.commsLead);

/**
 * When both roles were first held, replaying the roles entries: `roles.assigned` {roles} from the
 * catalogue, then each `roles.changed` {from, to} (admin API, ServiceNow assignment fields). A
 * catalogue entry missing one and a later change adding it is done at the change.
 */
function rolesAssignedAt(mi: MajorIncident, timeline: readonly TimelineEntry[]): string | undefined {
  if (!bothRoles(mi.roles)) return undefined;
  let held: Record<string, unknown> = {};
  let last: string | undefined;
  for (const e of timeline) {
    if (e.kind === 'roles.assigned' && isRecord(e.detail.roles)) held = { ...e.detail.roles };
    else if (e.kind === 'roles.changed' && isRecord(e.detail.to)) held = { ...held, ...e.detail.to };
    else continue;
    if (bothRoles(held)) return e.at;
    last = e.at;
  }
  return last ?? mi.declaredAt ?? mi.createdAt;
}

function technicalTicketAt(mi: MajorIncident, timeline: readonly TimelineEntry[]): string | undefined {
  const made = completed(timeline, 'jira.create_issue');
  if (made) return made.at;
  // A major incident that started in Jira has its ticket from the start.
  if (mi.origin.source === 'jira') return mi.createdAt;
  return mi.links.jira ? (mi.declaredAt ?? mi.createdAt) : undefined;
}

/**
 * The checklist of the current declared period: after a re-open the page must be acknowledged and the audiences told
 * again (the timers ask for both anew), so an acknowledgement or a message from before the re-open does not count.
 * The ticket and the roles carry over.
 */
export function checklist(mi: MajorIncident, timeline: readonly TimelineEntry[]): ChecklistItem[] {
  const start = declaredPeriodStart(mi, timeline);
  const from = start ?? 0;
  const at: Record<ChecklistItemId, string | undefined> = {
    declared: start === undefined ? mi.declaredAt : new Date(start).toISOString(),
    pageAcknowledged: acknowledgedAt(timeline, from),
    technicalTicket: technicalTicketAt(mi, timeline),
    rolesAssigned: rolesAssignedAt(mi, timeline),
    firstCommunication: firstCommunicationAt(timeline, from),
  };
  return CHECKLIST_ITEMS.map((id) => ({
    id,
    label: CHECKLIST_LABELS[id],
    done: at[id] !== undefined,
    ...(at[id] ? { at: at[id] } : {}),
  }));
}

export const unmet = (items: readonly ChecklistItem[]) => items.filter((i) => !i.done);
