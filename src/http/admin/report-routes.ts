import express, { type Router } from 'express';
import { measures, summarise, type SummaryRow } from '../../process/measures.ts';
import { drillRows } from '../../process/drill-report.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, invalid, ReportQuery } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

const DAY_MS = 24 * 3600_000;
export const REPORT_DEFAULT_DAYS = 30;
/** Major incidents are few (tens a month); past this many in one range the answer says `truncated`. */
export const REPORT_MAX_INCIDENTS = 5_000;

/**
 * `GET /admin/report?from=&to=`: major incidents created in [from, to] per service: how many,
 * in which state, and the median and p90 of each measure of the declared ones
 * (docs/process.md#the-report), and apart, `drills`: the exercises of the range with their scorecards
 * (docs/process.md#drills); drills count in nothing else. Any valid admin token may read it.
 */
export function reportRoutes(deps: AdminDeps, now: () => Date = () => new Date()): Router {
  const router = express.Router(EXACT_ROUTING);
  router.get('/admin/report', requireRole('viewer'), async (req, res) => {
    const q = ReportQuery.safeParse(req.query);
    if (!q.success) return void res.status(400).json(badRequest(q.error));
    const to = q.data.to ? Date.parse(q.data.to) : now().getTime();
    const from = q.data.from ? Date.parse(q.data.from) : to - REPORT_DEFAULT_DAYS * DAY_MS;
    if (from > to) return void res.status(400).json(invalid([{ path: 'from', message: 'after "to"' }]));
    const all = await deps.store.list(from, to, REPORT_MAX_INCIDENTS);
    const timelines = await Promise.all(all.map((mi) => deps.store.timeline(mi.id)));
    // Drills are practice: they never count in the services' figures, only in their own section.
    const real = all.flatMap((mi, i) => (mi.exercise ? [] : [{ mi, timeline: timelines[i] ?? [] }]));
    const rows: SummaryRow[] = real.map(({ mi, timeline }) => ({
      serviceId: mi.serviceId,
      state: mi.state,
      declared: mi.declaredAt !== undefined,
      measures: measures(mi, timeline),
    }));
    const catalogue = new Map(deps.config.current().services.services.map((s) => [s.id, s]));
    res.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      count: real.length,
      ...(all.length === REPORT_MAX_INCIDENTS ? { truncated: true } : {}),
      services: summarise(rows).map((s) => {
        const entry = catalogue.get(s.serviceId);
        return { ...s, ...(entry ? { name: entry.name, tier: entry.tier } : {}) };
      }),
      drills: drillRows(all, timelines),
    });
  });
  return router;
}
