import express, { type Response, type Router } from 'express';
import {
  manualDeclare,
  manualMove,
  type ManualDeps,
  type ManualErrorCode,
  type ManualResult,
} from '../../orchestrator/manual-actions.ts';
import { OPEN_STATES, type MajorIncident } from '../../domain/major-incident.ts';
import { setAudit } from './audit.ts';
import { serviceById, type AdminDeps } from './deps.ts';
import { boardOrder } from './mi-facts.ts';
import { lettersByMi, miView } from './mi-view.ts';
import { badRequest, DeclareBody, invalid, ListQuery, Reason } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

const STATUS_OF = {
  NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  CONFLICT: 409,
  SERVICE_BUSY: 409,
  RECORD_LINKED: 409,
  UNKNOWN_SERVICE: 400,
} as const satisfies Record<ManualErrorCode, number>;

const MOVES = [
  ['resolve', 'manual.resolve'],
  ['cancel', 'manual.cancel'],
  ['close', 'manual.close'],
] as const;

/** Reading major incidents, and a person declaring, resolving, cancelling or closing one. */
export function majorIncidentRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  const manual = (): ManualDeps => ({
    store: deps.store,
    rules: deps.rules(),
    services: (id) => serviceById(deps, id),
    now: new Date(),
  });
  const answer = (res: Response, result: ManualResult, okStatus: number) => {
    if (result.ok) {
      // A drill's scorecard is written when it closes: sync it now rather than at the timers' next sweep.
      if (result.mi.exercise) deps.changed?.(result.mi.id);
      void deps
        .kick()
        .catch((err: unknown) => deps.logger.warn({ err }, 'could not kick the action relay; it runs on its own tick'));
      return void res.status(okStatus).json({ majorIncident: result.mi });
    }
    // A retry after `conflict` decides again on the new state; the other refusals need a person.
    res.status(STATUS_OF[result.code]).json({
      error: result.code.toLowerCase(),
      reason: result.reason,
      ...(result.openId ? { openId: result.openId } : {}),
      ...(result.code === 'CONFLICT' ? { retry: true } : {}),
    });
  };

  router.get('/admin/major-incidents', requireRole('viewer'), async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) return void res.status(400).json(badRequest(q.error));
    const { state, service, limit } = q.data;
    const from = q.data.from ? Date.parse(q.data.from) : 0;
    const to = q.data.to ? Date.parse(q.data.to) : Number.MAX_SAFE_INTEGER;
    if (from > to) return void res.status(400).json(invalid([{ path: 'from', message: 'after "to"' }]));
    // Filters apply after the time range, so scan more than one page when filtering.
    const rows = await deps.store.list(from, to, state || service ? 1_000 : limit);
    const filtered = rows.filter((m) => (!state || m.state === state) && (!service || m.serviceId === service));
    res.json({ majorIncidents: filtered.slice(0, limit) });
  });

  // The console's board: every open major incident's facts in one call, highest priority then oldest first. Each
  // catalogue service's open pointers find them, its real one and its drill's (two reads per service, however many
  // major incidents are history): the console polls this every few seconds.
  router.get('/admin/board', requireRole('viewer'), async (_req, res) => {
    const services = deps.config.current().services.services.map((s) => s.id);
    const [held, letters] = await Promise.all([
      Promise.all(services.flatMap((id) => [deps.store.openFor(id), deps.store.openExerciseFor(id)])),
      lettersByMi(deps),
    ]);
    const open = held.filter((mi): mi is MajorIncident => mi !== undefined && OPEN_STATES.includes(mi.state));
    const views = await Promise.all(open.map((mi) => miView(deps, mi, letters.get(mi.id) ?? [])));
    res.json({ majorIncidents: views.map((v) => v.facts).sort(boardOrder) });
  });

  router.get('/admin/major-incidents/:id', requireRole('viewer'), async (req, res) => {
    const id = String(req.params.id);
    const mi = await deps.store.get(id);
    if (!mi) return void res.status(404).json({ error: 'not_found' });
    const letters = (await lettersByMi(deps)).get(id) ?? [];
    const { communications, ...view } = await miView(deps, mi, letters);
    res.json({ majorIncident: mi, ...view, communications: communications() });
  });

  router.post('/admin/major-incidents', requireRole('operator'), async (req, res) => {
    const body = DeclareBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const { serviceId, title, reason, origin } = body.data;
    const person = body.data.actor ?? 'admin-api';
    const result = await manualDeclare(manual(), { serviceId, title, person, reason, ...(origin ? { origin } : {}) });
    setAudit(res, {
      what: 'major-incident.declare',
      actor: person,
      serviceId,
      reason,
      before: 'none',
      after: result.ok ? result.mi.state : 'none',
      ...(result.ok
        ? { target: result.mi.id }
        : { refused: result.code, ...(result.openId ? { openId: result.openId } : {}) }),
    });
    if (!result.ok && result.code === 'UNKNOWN_SERVICE')
      return void res.status(400).json(invalid([{ path: 'serviceId', message: result.reason }]));
    answer(res, result, 201);
  });

  for (const [verb, trigger] of MOVES) {
    router.post(`/admin/major-incidents/:id/${verb}`, requireRole('operator'), async (req, res) => {
      const id = String(req.params.id);
      const body = Reason.safeParse(req.body ?? {});
      if (!body.success) {
        setAudit(res, { what: `major-incident.${verb}`, target: id, refused: 'INVALID_REQUEST' });
        return void res.status(400).json(badRequest(body.error));
      }
      const person = body.data.actor ?? 'admin-api';
      const result = await manualMove(manual(), id, trigger, person, body.data.reason);
      setAudit(res, {
        what: `major-incident.${verb}`,
        actor: person,
        target: id,
        reason: body.data.reason,
        before: result.before,
        after: result.ok ? result.mi.state : result.before,
        ...(result.ok ? {} : { refused: result.code }),
      });
      answer(res, result, 200);
    });
  }

  return router;
}
