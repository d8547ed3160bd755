import express, { type Router } from 'express';
import { measures, summarise, type SummaryRow } from '../../process/measures.ts';
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
 * (docs/process.md#the-report). Any valid admin token may read it.
 */
export function reportRoutes(deps: AdminDeps, now: () => Date = () => new Date()): Router {
  const router = express.Router(EXACT_ROUTING);
  router.get('/admin/report', requireRole('viewer'), async (req, res) => {
    const q = ReportQuery.safeParse(req.query);
    if (!q.success) return void res.status(400).json(badRequest(q.error));
    const to = q.data.to ? Date.parse(q.data.to) : now().getTime();
    const from = q.data.from ? Date.parse(q.data.from) : to - REPORT_DEFAULT_DAYS * DAY_MS;
    if (from > to) return void res.status(400).json(invalid([{ path: 'from', message: 'after "to"' }]));
    const mis = await deps.store.list(from, to, REPORT_MAX_INCIDENTS);
    const timelines = await Promise.all(mis.map((mi) => deps.store.timeline(mi.id)));
    const rows: SummaryRow[] = mis.map((mi, i) => ({
      serviceId: mi.serviceId,
      state: mi.state,
      declared: mi.declaredAt !== undefined,
      measures: measures(mi, timelines[i] ?? []),
    }));
    const catalogue = new Map(deps.config.current().services.services.map((s) => [s.id, s]));
    res.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      count: mis.length,
      ...(mis.length === REPORT_MAX_INCIDENTS ? { truncated: true } : {}),
      services: summarise(rows).map((s) => {
        const entry = catalogue.get(s.serviceId);
        return { ...s, ...(entry ? { name: entry.name, tier: entry.tier } : {}) };
      }),
    });
  });
  return router;
}
