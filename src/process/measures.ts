import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { acknowledgedAt, firstCommunicationAt } from './checklist.ts';
import { declaredPeriodStart } from './timers-plan.ts';

/**
 * The measures of one major incident (docs/process.md#measures). Times in milliseconds;
 * a measure is absent until its milestone happened. Pure.
 * - timeToDeclare: detection (the origin record's own time) → declared
 * - timeToMobilise: declared → page acknowledged
 * - timeToFirstCommunication: declared → first message to an audience
 * - timeToResolve: detection → resolved
 * - cadenceAdherence: share of update deadlines met (0..1), from the cadence ticks
 *
 * A re-open starts a new declared period: mobilise and first communication count from the
 * re-declaration, and there is no time to resolve while the major incident is open again (then
 * detection → the last resolution), so nothing from before the re-open reads as done.
 */
export const MEASURES = [
  'timeToDeclare',
  'timeToMobilise',
  'timeToFirstCommunication',
  'timeToResolve',
  'cadenceAdherence',
] as const;
export type MeasureId = (typeof MEASURES)[number];
export type Measures = Partial<Record<MeasureId, number>>;

const between = (from: string | undefined, to: string | undefined) => {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
};

const ENDED = new Set(['resolved', 'closed']);

/** When the major incident was last resolved: the last move into resolved (or closed straight from open). */
export function lastResolvedAt(mi: MajorIncident, timeline: readonly TimelineEntry[]): string | undefined {
  if (!ENDED.has(mi.state)) return undefined;
  const moves = timeline.filter(
    (e) => e.kind === 'state.changed' && ENDED.has(String(e.detail.to)) && !ENDED.has(String(e.detail.from)),
  );
  return moves.at(-1)?.at ?? mi.resolvedAt;
}

export function measures(mi: MajorIncident, timeline: readonly TimelineEntry[]): Measures {
  const ticks = timeline.filter((e) => e.kind === 'cadence.tick');
  const met = ticks.filter((e) => e.detail.overdue !== true).length;
  const start = declaredPeriodStart(mi, timeline);
  const periodStart = start === undefined ? undefined : new Date(start).toISOString();
  const values: Measures = {
    timeToDeclare: between(mi.detectedAt, mi.declaredAt),
    timeToMobilise: between(periodStart, acknowledgedAt(timeline, start ?? 0)),
    timeToFirstCommunication: between(periodStart, firstCommunicationAt(timeline, start ?? 0)),
    timeToResolve: mi.declaredAt ? between(mi.detectedAt, lastResolvedAt(mi, timeline)) : undefined,
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

export interface MeasureSummary {
  /** How many major incidents of the group have the measure. */
  readonly count: number;
  readonly median: number;
  readonly p90: number;
}

export interface SummaryRow {
  readonly serviceId: string;
  /** The lifecycle state now (candidate, declared, resolved, closed, rejected, canceled). */
  readonly state: string;
  /** Ever declared: only these count for the measures (a rejected candidate has none to give). */
  readonly declared: boolean;
  readonly measures: Measures;
}

export interface ServiceSummary {
  readonly serviceId: string;
  /** Major incidents of the service, candidates included. */
  readonly count: number;
  /** Of those, how many were ever declared: the population of `measures`. */
  readonly declared: number;
  /** How many are in each state now (only states that occur). */
  readonly states: Readonly<Record<string, number>>;
  readonly measures: Partial<Record<MeasureId, MeasureSummary>>;
}

/**
 * Major incidents per service: how many, in which state, and the median and p90 of each measure of the declared ones.
 */
export function summarise(rows: readonly SummaryRow[]): ServiceSummary[] {
  const byService = new Map<string, SummaryRow[]>();
  for (const r of rows) {
    const list = byService.get(r.serviceId);
    if (list) list.push(r);
    else byService.set(r.serviceId, [r]);
  }
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([serviceId, list]) => {
      const declared = list.filter((r) => r.declared);
      const states: Record<string, number> = {};
      for (const r of list) states[r.state] = (states[r.state] ?? 0) + 1;
      const out: Partial<Record<MeasureId, MeasureSummary>> = {};
      for (const m of MEASURES) {
        const values = declared.map((x) => x.measures[m]).filter((v): v is number => v !== undefined);
        if (values.length)
          out[m] = { count: values.length, median: percentile(values, 50), p90: percentile(values, 90) };
      }
      return { serviceId, count: list.length, declared: declared.length, states, measures: out };
    });
}

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

/** "1h 5m", "3m 20s", "800ms": the two largest units, for people reading the admin API. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000) * 1_000;
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !p.startsWith('0')).join(' ');
}

/** A measure the way a person reads it: durations as `formatDuration`, adherence as a percentage. */
export function formatMeasure(id: MeasureId, value: number): string {
  return id === 'cadenceAdherence' ? `${Math.round(value * 100)}%` : formatDuration(value);
}

/** Every measure present, formatted. */
export function formatMeasures(values: Measures): Partial<Record<MeasureId, string>> {
  const out: Partial<Record<MeasureId, string>> = {};
  for (const m of MEASURES) if (values[m] !== undefined) out[m] = formatMeasure(m, values[m]);
  return out;
}
