import type { MajorIncident, TimelineEntry } from '../../domain/major-incident.ts';
import { acknowledgedAt, firstCommunicationAt } from './checklist.ts';

/**
 * The measures of one major incident (docs/process.md#measures). Times in milliseconds;
 * a measure is absent until its milestone happened. Pure.
 * - timeToDeclare: detection (the origin record's own time) → declared
 * - timeToMobilise: declared → page acknowledged
 * - timeToFirstCommunication: declared → first message to an audience
 * - timeToResolve: detection → resolved
 * - cadenceAdherence: share of update deadlines met (0..1), from the cadence ticks
 */
export const MEASURES = ['timeToDeclare', 'timeToMobilise', 'timeToFirstCommunication', 'timeToResolve', 'cadenceAdherence'] as const;
export type MeasureId = (typeof MEASURES)[number];
export type Measures = Partial<Record<MeasureId, number>>;

const between = (from: string | undefined, to: string | undefined) => {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
};

export function measures(mi: MajorIncident, timeline: readonly TimelineEntry[]): Measures {
  const ticks = timeline.filter((e) => e.kind === 'cadence.tick');
  const met = ticks.filter((e) => e.detail.overdue !== true).length;
  const values: Measures = {
    timeToDeclare: between(mi.detectedAt, mi.declaredAt),
    timeToMobilise: between(mi.declaredAt, acknowledgedAt(timeline)),
    timeToFirstCommunication: between(mi.declaredAt, firstCommunicationAt(timeline)),
    timeToResolve: mi.declaredAt ? between(mi.detectedAt, mi.resolvedAt) : undefined,
    cadenceAdherence: ticks.length ? met / ticks.length : undefined,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Measures;
}

/** Nearest-rank percentile of a non-empty list (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export interface ServiceSummary {
  readonly serviceId: string;
  readonly count: number;
  readonly measures: Partial<Record<MeasureId, { readonly count: number; readonly median: number; readonly p90: number }>>;
}

/** Major incidents per service: how many, and the median and p90 of each measure. */
export function summarise(rows: ReadonlyArray<{ readonly serviceId: string; readonly measures: Measures }>): ServiceSummary[] {
  const byService = new Map<string, Array<Measures>>();
  for (const r of rows) byService.set(r.serviceId, [...(byService.get(r.serviceId) ?? []), r.measures]);
  return [...byService.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([serviceId, list]) => {
    const out: ServiceSummary['measures'] = {};
    for (const m of MEASURES) {
      const values = list.map((x) => x[m]).filter((v): v is number => v !== undefined);
      if (values.length) (out as Record<string, unknown>)[m] = { count: values.length, median: percentile(values, 50), p90: percentile(values, 90) };
    }
    return { serviceId, count: list.length, measures: out };
  });
}
