import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { acknowledgedAt, checklist, firstCommunicationAt, type ChecklistItemId } from './checklist.ts';
import type { ProcessTargets } from './targets.ts';
import { formatDuration } from './measures.ts';
import { TIMER_ENTRY } from './timers-plan.ts';

/** The timeline entry a closed drill's scorecard goes in (its `detail` is the Scorecard). */
export const SCORECARD_ENTRY = 'drill.scorecard';

/** One milestone against its target: `ms` after declaration, absent when it never happened. */
export interface MilestoneScore {
  readonly ms?: number;
  readonly targetMs: number;
  readonly met: boolean;
  /** "3m 20s (target 5m)", "never (target 15m)". */
  readonly text: string;
}

/** One update after the first communication: how long after the communication before it. */
export interface UpdateScore {
  readonly n: number;
  readonly at: string;
  readonly afterPreviousMs: number;
  readonly met: boolean;
}

export interface Scorecard {
  readonly majorIncidentId: string;
  readonly serviceId: string;
  readonly declaredAt: string;
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly targets: ProcessTargets;
  readonly acknowledge: MilestoneScore;
  /** Every item of the mobilisation checklist done. */
  readonly mobilise: MilestoneScore;
  readonly firstCommunication: MilestoneScore;
  readonly updates: readonly UpdateScore[];
  readonly cadence: {
    readonly targetMs: number;
    /** Update deadlines that passed (cadence timer ticks), and how many of them had no update. */
    readonly deadlines: number;
    readonly missed: number;
    /** From the last communication to resolution: above the cadence is an update missed at the end. */
    readonly beforeResolutionMs?: number;
    readonly met: boolean;
  };
  /** Checklist items not done within the mobilisation target (`at` when done late). */
  readonly checklistMissed: readonly { readonly id: ChecklistItemId; readonly label: string; readonly at?: string }[];
  /** Every target met and nothing missed. */
  readonly met: boolean;
  /** One line for people: what was met and missed. */
  readonly summary: string;
}

const after = (from: number, at: string | undefined) =>
  at === undefined ? undefined : Math.max(0, Date.parse(at) - from);

function milestone(ms: number | undefined, targetMs: number): MilestoneScore {
  const target = `target ${formatDuration(targetMs)}`;
  if (ms === undefined) return { targetMs, met: false, text: `never (${target})` };
  return { ms, targetMs, met: ms <= targetMs, text: `${formatDuration(ms)} (${target})` };
}

/**
 * The updates after the first communication: an update a person posted (`update.posted`) and a
 * cadence round that posted the latest update itself (autoPost). Before resolution only.
 */
function updateTimes(timeline: readonly TimelineEntry[], from: number, until: number): number[] {
  return timeline
    .filter((e) => e.kind === 'update.posted' || (e.kind === TIMER_ENTRY.cadence && e.detail.autoPost === true))
    .map((e) => Date.parse(e.at))
    .filter((t) => t > from && t <= until)
    .sort((a, b) => a - b);
}

/**
 * A closed drill's scorecard (docs/process.md#drills): the times to acknowledge, to mobilise, to
 * the first communication and between updates, each against its target, and the checklist items
 * missed. Derived from the record and its timeline, as the checklist and measures are. Pure.
 */
export function scorecard(mi: MajorIncident, timeline: readonly TimelineEntry[], targets: ProcessTargets): Scorecard {
  const declaredAt = mi.declaredAt ?? mi.createdAt;
  const declared = Date.parse(declaredAt);
  const end = Date.parse(mi.resolvedAt ?? mi.closedAt ?? mi.updatedAt);
  const items = checklist(mi, timeline);
  const mobilisedAt = items.every((i) => i.done)
    ? items.map((i) => i.at ?? declaredAt).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b))
    : undefined;
  const acknowledge = milestone(after(declared, acknowledgedAt(timeline)), targets.ackMs);
  const mobilise = milestone(after(declared, mobilisedAt), targets.mobiliseMs);
  const firstAt = firstCommunicationAt(timeline);
  const firstCommunication = milestone(after(declared, firstAt), targets.firstCommsMs);

  const updates: UpdateScore[] = [];
  let previous = firstAt === undefined ? undefined : Date.parse(firstAt);
  if (previous !== undefined) {
    for (const [i, t] of updateTimes(timeline, previous, end).entries()) {
      updates.push({
        n: i + 1,
        at: new Date(t).toISOString(),
        afterPreviousMs: t - previous,
        met: t - previous <= targets.cadenceMs,
      });
      previous = t;
    }
  }
  const ticks = timeline.filter((e) => e.kind === TIMER_ENTRY.cadence);
  const missedTicks = ticks.filter((e) => e.detail.overdue === true).length;
  const beforeResolutionMs = previous === undefined ? undefined : Math.max(0, end - previous);
  const cadenceMet =
    missedTicks === 0 &&
    updates.every((u) => u.met) &&
    (beforeResolutionMs === undefined || beforeResolutionMs <= targets.cadenceMs);

  const checklistMissed = items
    .filter((i) => !i.done || Date.parse(i.at ?? declaredAt) - declared > targets.mobiliseMs)
    .map((i) => ({ id: i.id, label: i.label, ...(i.at ? { at: i.at } : {}) }));

  const met = acknowledge.met && mobilise.met && firstCommunication.met && cadenceMet && checklistMissed.length === 0;
  const missedParts = [
    ...(acknowledge.met ? [] : [`acknowledge ${acknowledge.text}`]),
    ...(mobilise.met ? [] : [`mobilise ${mobilise.text}`]),
    ...(firstCommunication.met ? [] : [`first communication ${firstCommunication.text}`]),
    ...(cadenceMet ? [] : [`updates every ${formatDuration(targets.cadenceMs)}`]),
    ...(checklistMissed.length ? [`checklist: ${checklistMissed.map((i) => i.label).join(', ')}`] : []),
  ];
  return {
    majorIncidentId: mi.id,
    serviceId: mi.serviceId,
    declaredAt,
    ...(mi.resolvedAt ? { resolvedAt: mi.resolvedAt } : {}),
    ...(mi.closedAt ? { closedAt: mi.closedAt } : {}),
    targets,
    acknowledge,
    mobilise,
    firstCommunication,
    updates,
    cadence: {
      targetMs: targets.cadenceMs,
      deadlines: ticks.length,
      missed: missedTicks,
      ...(beforeResolutionMs === undefined ? {} : { beforeResolutionMs }),
      met: cadenceMet,
    },
    checklistMissed,
    met,
    summary: met ? 'every target met' : `missed: ${missedParts.join('; ')}`,
  };
}
