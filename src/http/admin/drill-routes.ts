import express, { type Router } from 'express';
import { z } from 'zod';
import { startDrill } from '../../orchestrator/drill.ts';
import { setAudit } from './audit.ts';
import { serviceById, type AdminDeps } from './deps.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';
import { badRequest, invalid } from './schemas.ts';

export const DrillBody = z.strictObject({
  service: z.string().trim().min(1).max(200).describe('the catalogue id of the service to exercise (services.yaml)'),
  title: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .describe('the exercise title, without the prefix (default: "Simulated outage of <service name>")'),
  actor: z.string().trim().min(1).max(200).optional().describe('who runs the drill (default: the token name)'),
});

/**
 * `POST /admin/drills`: an operator starts an exercise major incident for a service (docs/process.md#drills).
 * 400 naming an unknown service; 409 with `openId` when the service has an open drill already.
 */
export function drillRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  router.post('/admin/drills', requireRole('operator'), async (req, res) => {
    const body = DrillBody.safeParse(req.body ?? {});
    if (!body.success) {
      setAudit(res, { what: 'drill.start', refused: 'INVALID_REQUEST' });
      return void res.status(400).json(badRequest(body.error));
    }
    const { service, title } = body.data;
    const person = body.data.actor ?? (typeof res.locals.actor === 'string' ? res.locals.actor : 'admin-api');
    const result = await startDrill(
      { store: deps.store, rules: deps.rules(), services: (id) => serviceById(deps, id), now: new Date() },
      { serviceId: service, person, ...(title ? { title } : {}) },
    );
    setAudit(res, {
      what: 'drill.start',
      actor: person,
      serviceId: service,
      before: 'none',
      after: result.ok ? result.mi.state : 'none',
      ...(result.ok
        ? { target: result.mi.id }
        : { refused: result.code, ...(result.openId ? { openId: result.openId } : {}) }),
    });
    if (result.ok) {
      deps.changed?.(result.mi.id);
      void deps
        .kick()
        .catch((err: unknown) => deps.logger.warn({ err }, 'could not kick the action relay; it runs on its own tick'));
      return void res.status(201).json({ majorIncident: result.mi });
    }
    if (result.code === 'UNKNOWN_SERVICE')
      return void res.status(400).json(invalid([{ path: 'service', message: result.reason }]));
    res.status(409).json({
      error: 'drill_open',
      reason: result.reason,
      ...(result.openId ? { openId: result.openId } : {}),
    });
  });
  return router;
}
