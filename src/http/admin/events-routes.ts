import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from './deps.ts';
import { badRequest } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

export const RecentEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('how many, newest first'),
  source: z.enum(['servicenow', 'jira', 'pagerduty']).optional().describe('only events from this source'),
});

/**
 * `GET /admin/events`: the recent-event log (7 days, written by the events worker), newest first,
 * so the rule simulator can replay a real event. Events carry no secrets (the intake strips them).
 */
export function eventsRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  router.get('/admin/events', requireRole('viewer'), async (req, res) => {
    const q = RecentEventsQuery.safeParse(req.query);
    if (!q.success) return void res.status(400).json(badRequest(q.error));
    if (!deps.eventLog) return void res.json({ events: [] });
    // Filtering after the read: read more than asked so a filter still fills the page.
    const rows = await deps.eventLog.recent(q.data.source ? Math.min(q.data.limit * 10, 5_000) : q.data.limit);
    res.json({ events: rows.filter((r) => !q.data.source || r.event.source === q.data.source).slice(0, q.data.limit) });
  });
  return router;
}
