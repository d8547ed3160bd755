import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';

export interface Reopen {
  /** When it went back to declared. */
  readonly at: string;
  /** Who re-opened it, as the timeline names the actor (`servicenow:beth.anglin`, a rule id). */
  readonly by: string;
  /** How many times it was re-opened in all. */
  readonly count: number;
}

const ENDED = new Set(['resolved', 'closed']);

/** The last re-open of a major incident that is open again; undefined when it never was re-opened, or is over. Pure. */
export function currentReopen(mi: MajorIncident, timeline: readonly TimelineEntry[]): Reopen | undefined {
  if (mi.state !== 'declared') return undefined;
  const reopens = timeline.filter(
    (e) => e.kind === 'state.changed' && e.detail.to === 'declared' && ENDED.has(String(e.detail.from)),
  );
  const last = reopens.at(-1);
  return last ? { at: last.at, by: last.actor.id, count: reopens.length } : undefined;
}

/** Since when the major incident is in its state: the last state change, else its creation. Pure. */
export function stateSince(mi: MajorIncident, timeline: readonly TimelineEntry[]): string {
  const moves = timeline.filter((e) => e.kind === 'state.changed' && e.detail.to === mi.state);
  return moves.at(-1)?.at ?? mi.createdAt;
}
