import type { IncidentEvent } from '../domain/incident-event.ts';
import { reopenDecision, type TriggerType } from '../domain/lifecycle.ts';
import { OPEN_STATES, type MajorIncident } from '../domain/major-incident.ts';

/** What the rules concluded about one event (the rules engine's answer, trimmed to what decides). */
export interface RuleVerdict {
  readonly decision: 'declare' | 'propose' | 'none';
  readonly decidedBy?: string;
  readonly unmapped: boolean;
}

export interface DecideInput {
  readonly event: IncidentEvent;
  readonly serviceId: string | null;
  readonly verdict: RuleVerdict;
  /** The major incident this record already belongs to (as origin or child). */
  readonly linked?: MajorIncident;
  /** The service's open (candidate or declared) major incident; never an exercise (a drill). */
  readonly open?: MajorIncident;
  /** The service's most recent major incident, whatever its state; never an exercise. */
  readonly last?: MajorIncident;
  readonly reopenWithinMinutes: number;
  readonly now: Date;
}

export type Decision =
  | { readonly kind: 'nothing'; readonly reason: string }
  | {
      readonly kind: 'create';
      readonly trigger: 'rule.propose' | 'rule.declare' | 'source.major_proposed' | 'source.major_accepted';
      readonly relatedTo?: string;
    }
  | { readonly kind: 'attach'; readonly miId: string; readonly then?: TriggerType }
  | { readonly kind: 'transition'; readonly miId: string; readonly trigger: TriggerType; readonly attach?: boolean };

const MAJOR_STATE_TRIGGERS = {
  proposed: 'source.major_proposed',
  accepted: 'source.major_accepted',
  rejected: 'source.major_rejected',
  canceled: 'source.major_canceled',
} as const satisfies Record<NonNullable<IncidentEvent['majorIncidentState']>, TriggerType>;

const STATE_TRIGGERS: Partial<Record<NonNullable<IncidentEvent['state']>, TriggerType>> = {
  resolved: 'source.resolved',
  closed: 'source.closed',
  canceled: 'source.canceled',
};

const isOrigin = (mi: MajorIncident, e: IncidentEvent) =>
  mi.origin.source === e.source && mi.origin.recordId === e.recordId;

/**
 * The records that speak for the whole major incident: the origin, and its counterpart in the
 * other ticketing system (the Jira issue or ServiceNow record we made for it). Resolving either
 * resolves the major incident; children never do.
 */
const speaksFor = (mi: MajorIncident, e: IncidentEvent) =>
  isOrigin(mi, e) ||
  (e.source === 'jira' && mi.links.jira?.id === e.recordId) ||
  (e.source === 'servicenow' && mi.links.servicenow?.sysId === e.recordId);

/**
 * Re-opening needs the status itself to have moved: a comment or an edit on a record that is
 * still open (its resolve action not yet run) must not re-open a resolved major incident. A
 * source that does not list changed fields is taken at its word.
 */
const statusChanged = (e: IncidentEvent) =>
  !e.kind.startsWith('comment.') &&
  (e.changedFields.length === 0 || e.changedFields.some((f) => f === 'status' || f === 'state'));

/**
 * A change the source record itself asks for: a Major Incident Manager's decision, or the incident ending or
 * re-opening.
 */
function sourceTrigger(mi: MajorIncident, e: IncidentEvent): TriggerType | undefined {
  if (
    e.source === 'servicenow' &&
    e.majorIncidentState &&
    (e.changedFields.includes('major_incident_state') || e.kind === 'incident.created' || speaksFor(mi, e))
  ) {
    const t = MAJOR_STATE_TRIGGERS[e.majorIncidentState];
    // Accepted stays on the record through resolution and closure: it is no new decision then, and
    // must not hide the record's own state change (closing it closes the major incident).
    const already =
      (mi.state === 'candidate' && t === 'source.major_proposed') ||
      (t === 'source.major_accepted' && (mi.state === 'declared' || mi.state === 'resolved' || mi.state === 'closed'));
    if (!already) return t;
  }
  // A child resolving is just a child resolving.
  if (!speaksFor(mi, e) || !e.state) return undefined;
  const ended = STATE_TRIGGERS[e.state];
  if (ended) return ended;
  if ((e.state === 'new' || e.state === 'in_progress') && mi.state === 'resolved' && statusChanged(e))
    return 'source.reopened';
  return undefined;
}

/**
 * One event → at most one change to one major incident. Pure: the orchestrator loads the
 * inputs, this decides, the store applies it atomically.
 */
export function decide(input: DecideInput): Decision {
  const { event, verdict, linked, open, last } = input;
  if (linked) {
    const trigger = sourceTrigger(linked, event);
    if (trigger) return { kind: 'transition', miId: linked.id, trigger };
    // A drill's own records (the ServiceNow record and Jira issue it made) move only the drill: they
    // never become a real major incident's child or origin, whatever a person does to them.
    if (linked.exercise) return { kind: 'nothing', reason: `part of exercise ${linked.id}` };
    if (linked.state === 'candidate' && verdict.decision === 'declare')
      return { kind: 'transition', miId: linked.id, trigger: 'rule.declare' };
    if (OPEN_STATES.includes(linked.state) || verdict.decision === 'none')
      return { kind: 'nothing', reason: `already part of ${linked.id}` };
    // The record belongs to a finished major incident and matches again: fall through to the service's policy.
  }
  if (
    event.source === 'servicenow' &&
    !linked &&
    (event.majorIncidentState === 'proposed' || event.majorIncidentState === 'accepted') &&
    input.serviceId &&
    !open
  ) {
    // Proposed or accepted by a person in ServiceNow, with no rule needed.
    return {
      kind: 'create',
      trigger: MAJOR_STATE_TRIGGERS[event.majorIncidentState] as 'source.major_proposed' | 'source.major_accepted',
    };
  }
  if (verdict.decision === 'none') {
    return { kind: 'nothing', reason: verdict.unmapped ? 'unmapped service' : 'no rule matched' };
  }
  if (!input.serviceId) return { kind: 'nothing', reason: 'unmapped service' };
  if (open) {
    const then = open.state === 'candidate' && verdict.decision === 'declare' ? 'rule.declare' : undefined;
    return then ? { kind: 'attach', miId: open.id, then } : { kind: 'attach', miId: open.id };
  }
  const trigger = verdict.decision === 'declare' ? 'rule.declare' : 'rule.propose';
  if (last && last.state === 'resolved' && last.resolvedAt) {
    if (reopenDecision(new Date(last.resolvedAt), input.now, input.reopenWithinMinutes) === 'reopen') {
      return { kind: 'transition', miId: last.id, trigger: 'source.reopened', attach: true };
    }
    return { kind: 'create', trigger, relatedTo: last.id };
  }
  if (last && last.state === 'closed') return { kind: 'create', trigger, relatedTo: last.id };
  return { kind: 'create', trigger };
}
