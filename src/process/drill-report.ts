import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { SCORECARD_ENTRY, type Scorecard } from './scorecard.ts';

/** One drill in `GET /admin/report`: its scorecard once closed. */
export interface DrillRow {
  readonly majorIncidentId: string;
  readonly serviceId: string;
  readonly title: string;
  readonly state: string;
  readonly createdAt: string;
  readonly closedAt?: string;
  readonly scorecard?: Scorecard;
}

/** The report's `drills` section: the exercises of the range, newest first as given, with their scorecards. Pure. */
export function drillRows(mis: readonly MajorIncident[], timelines: readonly (readonly TimelineEntry[])[]): DrillRow[] {
  return mis.flatMap((mi, i) => {
    if (!mi.exercise) return [];
    const entry = (timelines[i] ?? []).find((e) => e.kind === SCORECARD_ENTRY);
    return [
      {
        majorIncidentId: mi.id,
        serviceId: mi.serviceId,
        title: mi.title,
        state: mi.state,
        createdAt: mi.createdAt,
        ...(mi.closedAt ? { closedAt: mi.closedAt } : {}),
        ...(entry ? { scorecard: entry.detail as unknown as Scorecard } : {}),
      },
    ];
  });
}
