import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';

/**
 * Which durable timers a major incident should have now (docs/process.md#timers). Pure and
 * derived from the record and its timeline, so the same answer comes out after a restart: the
 * timers queue adds each under its deterministic id (BullMQ ignores an id it already holds) and
 * a fired timer re-checks that it is still planned before it acts.
 *
 * - `ack`: the page is not acknowledged `ackTimeout` after declaration → escalate; again after
 *   each further `ackTimeout`, up to `maxEscalations`.
 * - `mobilise`: the tier's mobilise target (15 minutes by default) after declaration, check the mobilisation
 *   checklist once.
 * - `cadence`: every `cadence` while declared: remind the comms lead, or post the latest update.
 * - `pir`: the post-incident review is due: remind its owner once.
 */
export const TIMER_KINDS = ['ack', 'mobilise', 'cadence', 'pir'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** A tier's targets (process/targets.ts) and the settings the timers read beside them. */
export interface TierTimers {
  readonly ackTimeoutMs: number;
  /** The mobilise target: when the checklist is checked (the MIM body's initial 15 minutes by default). */
  readonly mobiliseMs: number;
  readonly cadenceMs: number;
  readonly pirDueMs: number;
  readonly maxEscalations: number;
  readonly autoPost: boolean;
}

export interface PlannedTimer {
  /**
   * `<mi>.<kind>.<n>.<at base 36>`: no `:` (BullMQ job ids). The time is part of it, so a timer
   * whose plan moved (a re-declaration) is a new job, while a recomputation of the same plan
   * after a restart is the same job.
   */
  readonly id: string;
  readonly kind: TimerKind;
  /** Which occurrence: the escalation or cadence count. */
  readonly n: number;
  /** When it fires (ms since the epoch); in the past means now. */
  readonly at: number;
}

/** The timeline entry kinds timers write, by which the plan knows what already happened. */
export const TIMER_ENTRY = {
  ack: 'escalation.ack',
  mobilise: 'mobilisation.checked',
  cadence: 'cadence.tick',
  pir: 'pir.reminded',
} as const satisfies Record<TimerKind, string>;

/** When the current declared period began: the last move into `declared` (a re-open starts a new one). */
export function declaredPeriodStart(mi: MajorIncident, timeline: readonly TimelineEntry[]): number | undefined {
  const moves = timeline.filter((e) => e.kind === 'state.changed' && e.detail.to === 'declared');
  const at = moves.at(-1)?.at ?? mi.declaredAt;
  return at ? Date.parse(at) : undefined;
}

const count = (timeline: readonly TimelineEntry[], kind: string, since = 0) =>
  timeline.filter((e) => e.kind === kind && Date.parse(e.at) >= since).length;

/** The PIR's due instant: as recorded when it was created, else resolution + the tier's `pirDue`. */
export function pirDueAt(mi: MajorIncident, tier: TierTimers): number | undefined {
  if (mi.links.pir?.dueAt) return Date.parse(mi.links.pir.dueAt);
  return mi.resolvedAt ? Date.parse(mi.resolvedAt) + tier.pirDueMs : undefined;
}

export function plannedTimers(mi: MajorIncident, timeline: readonly TimelineEntry[], tier: TierTimers): PlannedTimer[] {
  const timer = (kind: TimerKind, n: number, at: number): PlannedTimer => ({
    id: `${mi.id}.${kind}.${n}.${Math.round(at).toString(36)}`,
    kind,
    n,
    at,
  });
  if (mi.state === 'declared') {
    const start = declaredPeriodStart(mi, timeline);
    if (start === undefined) return [];
    const out: PlannedTimer[] = [];
    const acked = timeline.some((e) => e.kind === 'page.acknowledged' && Date.parse(e.at) >= start);
    const escalations = count(timeline, TIMER_ENTRY.ack);
    if (!acked && escalations < tier.maxEscalations)
      out.push(
        timer('ack', escalations + 1, start + tier.ackTimeoutMs * (count(timeline, TIMER_ENTRY.ack, start) + 1)),
      );
    if (count(timeline, TIMER_ENTRY.mobilise) === 0) out.push(timer('mobilise', 1, start + tier.mobiliseMs));
    const ticks = count(timeline, TIMER_ENTRY.cadence);
    out.push(timer('cadence', ticks + 1, start + tier.cadenceMs * (count(timeline, TIMER_ENTRY.cadence, start) + 1)));
    return out;
  }
  if (mi.state === 'resolved' || mi.state === 'closed') {
    const due = pirDueAt(mi, tier);
    const done = timeline.some((e) => e.kind === 'pir.completed');
    if (due !== undefined && !done && count(timeline, TIMER_ENTRY.pir) === 0) return [timer('pir', 1, due)];
  }
  return [];
}
