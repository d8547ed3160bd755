import type { Histogram } from 'prom-client';
import type { RedisClient } from '../lib/redis-client.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import { keys } from '../store/keys.ts';
import {
  miCadenceAdherence,
  miTimeToDeclare,
  miTimeToFirstCommunication,
  miTimeToMobilise,
  miTimeToResolve,
} from '../observability/metrics.ts';
import { formatMeasure, lastResolvedAt, MEASURES, measures, type MeasureId, type Measures } from './measures.ts';

const HISTOGRAM_OF = {
  timeToDeclare: miTimeToDeclare,
  timeToMobilise: miTimeToMobilise,
  timeToFirstCommunication: miTimeToFirstCommunication,
  timeToResolve: miTimeToResolve,
  cadenceAdherence: miCadenceAdherence,
} as const satisfies Record<MeasureId, Histogram<'service' | 'tier'>>;

export const MEASURE_RECORDED = 'measure.recorded';

/** The Redis hash of what is recorded already: measure → value, one field per measure. */
export const measuresKey = (prefix: string, miId: string) => keys(prefix).miMeasures(miId);

/**
 * The measures that are final now. Adherence is a share of the ticks so far, so it is final only
 * once the major incident is resolved (its timers stopped; not while a re-open runs them again);
 * the times are final when they exist.
 */
export function finalMeasures(mi: MajorIncident, timeline: readonly TimelineEntry[]): Measures {
  const all = measures(mi, timeline);
  if (!lastResolvedAt(mi, timeline)) delete all.cadenceAdherence;
  return all;
}

/**
 * The timeline entry of one recorded measure: `{measure, ms}` for times, `{measure, ratio}` for
 * adherence. Pure; without `configVersion` the caller that appends it stamps the version.
 */
export function measureEntry(measure: MeasureId, value: number, now: Date, configVersion?: string): TimelineEntry {
  return timelineEntry({
    at: now,
    kind: MEASURE_RECORDED,
    actor: { type: 'system', id: 'measures' },
    detail: {
      measure,
      ...(measure === 'cadenceAdherence' ? { ratio: value } : { ms: value }),
      text: formatMeasure(measure, value),
    },
    configVersion,
  });
}

/**
 * Records each measure of `mi` that is final now and not recorded before: one HSETNX per
 * (major incident, measure), so however many processes call this, however often, each measure
 * is observed in its Prometheus histogram once. Returns the `measure.recorded` entries for the
 * caller to append to the timeline (none when nothing is new). Call it after every change of a
 * major incident, with the record and timeline as they are after the change.
 *
 * `tier` is the service's tier (services.yaml), a label of the histograms; the record does not carry it.
 * An exercise (a drill) records none.
 */
export async function recordNewMeasures(
  redis: RedisClient,
  prefix: string,
  mi: MajorIncident,
  timeline: readonly TimelineEntry[],
  now: Date,
  tier?: number | string,
): Promise<TimelineEntry[]> {
  // A drill is practice: its times go on its scorecard (scorecard.ts), never in the measures.
  if (mi.exercise) return [];
  const values = finalMeasures(mi, timeline);
  const todo = MEASURES.filter((m) => values[m] !== undefined);
  if (!todo.length) return [];
  const key = measuresKey(prefix, mi.id);
  const multi = redis.multi();
  for (const m of todo) multi.hsetnx(key, m, String(values[m]));
  const results = (await multi.exec()) ?? [];
  const entries: TimelineEntry[] = [];
  const labels = { service: mi.serviceId, tier: tier === undefined ? 'unknown' : String(tier) };
  todo.forEach((m, i) => {
    const [err, won] = results[i] ?? [null, 0];
    if (err) throw err;
    if (won !== 1) return;
    const value = values[m]!;
    HISTOGRAM_OF[m].observe(labels, m === 'cadenceAdherence' ? value : value / 1_000);
    entries.push(measureEntry(m, value, now));
  });
  return entries;
}

/** What is recorded already, measure → value (ms or ratio). */
export async function recordedMeasures(redis: RedisClient, prefix: string, miId: string): Promise<Measures> {
  const all = await redis.hgetall(measuresKey(prefix, miId));
  const out: Measures = {};
  for (const m of MEASURES) if (all[m] !== undefined) out[m] = Number(all[m]);
  return out;
}
