import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';
import { checklist, unmet } from './checklist.ts';
import {
  declaredPeriodStart,
  plannedTimers,
  TIMER_ENTRY,
  type PlannedTimer,
  type TierTimers,
  type TimerKind,
} from './timers-plan.ts';

/**
 * What a timer does when it fires (docs/process.md#timers). Pure: the timers worker loads the
 * major incident and its timeline, calls this, and writes the entries and jobs in one step.
 * A timer that is no longer planned (the page was acknowledged, the incident resolved, it
 * already fired) does nothing, so a late, repeated or recomputed timer never acts twice.
 */
export interface TimerFacts {
  readonly mi: MajorIncident;
  readonly timeline: readonly TimelineEntry[];
  readonly tier: TierTimers;
  readonly now: Date;
  /** The config version the entries are stamped with. */
  readonly configVersion?: string;
  /** The update playbook as jobs for cadence round `n` (autoPost). */
  readonly updateJobs: (n: number) => ActionJob[];
}

export type TimerOutcome =
  | { readonly kind: 'stale' }
  /** Fired before its time (clock skew between processes): wait until `at`. */
  | { readonly kind: 'early'; readonly at: number }
  | {
      readonly kind: 'fired';
      readonly entries: TimelineEntry[];
      readonly jobs: ActionJob[];
      readonly escalated: boolean;
      readonly overdue: boolean;
    };

/** Templates under templates/technical/ that timers send (required by the template loader). */
export const TIMER_TEMPLATES = {
  ack: 'escalation',
  mobilise: 'mobilisation',
  cadence: 'update-due',
  pir: 'pir-overdue',
} as const satisfies Record<TimerKind, string>;

/**
 * An email to one person named by a role. Roles may name a group instead of an address; then
 * only the timeline says it (the role holder reads it in the admin console).
 */
function tellRole(mi: MajorIncident, who: string | undefined, kind: TimerKind, n: number): ActionJob[] {
  if (!who?.includes('@')) return [];
  return [
    {
      majorIncidentId: mi.id,
      do: 'notify',
      target: 'email',
      channel: who,
      effect: `timer-${kind}`,
      step: 0,
      round: n,
      params: { template: TIMER_TEMPLATES[kind], register: 'technical' },
    },
  ];
}

const entry = (
  f: Pick<TimerFacts, 'now' | 'configVersion'>,
  kind: string,
  detail: Record<string, unknown>,
): TimelineEntry =>
  timelineEntry({ at: f.now, kind, actor: { type: 'system', id: 'timers' }, detail, configVersion: f.configVersion });

/**
 * An update went out since `since`: the comms lead posted one, or a notify of the update or declared playbook
 * completed.
 */
function updateSentSince(timeline: readonly TimelineEntry[], since: number): boolean {
  return timeline.some(
    (e) =>
      Date.parse(e.at) >= since &&
      (e.kind === 'update.posted' ||
        (e.kind === 'action.completed' &&
          e.detail.do === 'notify' &&
          (e.detail.template === 'update' || e.detail.template === 'declared'))),
  );
}

/** Delayed jobs run a little late, never much early; more than this is another process's clock. */
const EARLY_TOLERANCE_MS = 1_000;

export function fireTimer(timer: Pick<PlannedTimer, 'id' | 'kind' | 'n'>, f: TimerFacts): TimerOutcome {
  const planned = plannedTimers(f.mi, f.timeline, f.tier).find((t) => t.id === timer.id);
  if (!planned) return { kind: 'stale' };
  if (planned.at > f.now.getTime() + EARLY_TOLERANCE_MS) return { kind: 'early', at: planned.at };
  const { mi, now } = f;
  switch (timer.kind) {
    case 'ack': {
      const start = declaredPeriodStart(mi, f.timeline) ?? now.getTime();
      const notified = mi.roles.majorIncidentManager;
      // A page of its own per escalation (dedup key <id>-esc<n>) on the escalation routing key.
      const page: ActionJob = {
        majorIncidentId: mi.id,
        do: 'pagerduty.trigger',
        target: 'pagerduty',
        effect: 'timer-ack',
        step: 0,
        round: timer.n,
        params: { escalation: true, n: timer.n },
      };
      return {
        kind: 'fired',
        escalated: true,
        overdue: false,
        entries: [
          entry(f, TIMER_ENTRY.ack, {
            n: timer.n,
            unacknowledgedForMs: now.getTime() - start,
            notified: notified ?? null,
            paged: 'escalation routing key',
          }),
        ],
        jobs: [page, ...tellRole(mi, notified, 'ack', timer.n)],
      };
    }
    case 'mobilise': {
      const missing = unmet(checklist(mi, f.timeline)).map((i) => i.id);
      return {
        kind: 'fired',
        escalated: missing.length > 0,
        overdue: false,
        entries: [
          entry(f, TIMER_ENTRY.mobilise, {
            met: missing.length === 0,
            unmet: missing,
            notified: missing.length ? (mi.roles.majorIncidentManager ?? null) : null,
          }),
        ],
        jobs: missing.length ? tellRole(mi, mi.roles.majorIncidentManager, 'mobilise', 1) : [],
      };
    }
    case 'cadence': {
      const previous = f.timeline.filter((e) => e.kind === TIMER_ENTRY.cadence).at(-1);
      const since = Math.max(previous ? Date.parse(previous.at) : 0, declaredPeriodStart(mi, f.timeline) ?? 0);
      const overdue = !updateSentSince(f.timeline, since);
      const jobs = f.tier.autoPost ? f.updateJobs(timer.n) : tellRole(mi, mi.roles.commsLead, 'cadence', timer.n);
      return {
        kind: 'fired',
        escalated: false,
        overdue,
        entries: [
          entry(f, TIMER_ENTRY.cadence, {
            n: timer.n,
            overdue,
            autoPost: f.tier.autoPost,
            ...(f.tier.autoPost ? {} : { reminded: mi.roles.commsLead ?? null }),
          }),
        ],
        jobs,
      };
    }
    case 'pir': {
      const owner = mi.links.pir?.owner ?? mi.roles.serviceOwner ?? mi.roles.majorIncidentManager;
      return {
        kind: 'fired',
        escalated: false,
        overdue: false,
        entries: [
          entry(f, TIMER_ENTRY.pir, {
            dueAt: new Date(planned.at).toISOString(),
            owner: owner ?? null,
            ...(mi.links.pir?.key ? { pir: mi.links.pir.key } : {}),
          }),
        ],
        jobs: tellRole(mi, owner, 'pir', 1),
      };
    }
  }
}
