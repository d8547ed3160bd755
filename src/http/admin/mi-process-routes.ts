import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import {
  changeMiAudiences,
  changeRoles,
  type ChangeDeps,
  type ChangeResult,
} from '../../orchestrator/process-changes.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, invalid } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

const name = z.string().trim().min(1).max(200);
const common = { reason: z.string().trim().min(1).max(2000).optional(), actor: name.optional() };

/** Strict, so a misspelt role (`manager`) is a 400 naming it rather than silently ignored. */
export const RolesBody = z
  .strictObject({
    majorIncidentManager: name.optional(),
    commsLead: name.optional(),
    serviceOwner: name.optional(),
    resolverGroup: name.optional(),
    ...common,
  })
  .refine((b) => b.majorIncidentManager ?? b.commsLead ?? b.serviceOwner ?? b.resolverGroup, {
    message: 'name at least one of majorIncidentManager, commsLead, serviceOwner, resolverGroup',
  });

const ids = z.array(z.string().trim().min(1).max(100)).max(50).default([]);
export const AudiencesBody = z
  .strictObject({ add: ids, remove: ids, ...common })
  .refine((b) => b.add.length + b.remove.length > 0, { message: 'add or remove at least one audience' });

function refused(res: Response, result: Extract<ChangeResult, { ok: false }>): void {
  if (result.code === 'NOT_FOUND') return void res.status(404).json({ error: 'not_found' });
  res
    .status(409)
    .json({ error: 'conflict', reason: 'the major incident changed meanwhile; reload and try again', retry: true });
}

/** Running a major incident: who holds its roles, and which audiences are told beyond the service's. */
export function majorIncidentProcessRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  const change = (): ChangeDeps => ({ store: deps.store, version: deps.rules().version, now: new Date() });
  const catalogue = () => deps.config.current();

  router.patch('/admin/major-incidents/:id/roles', requireRole('operator'), async (req, res) => {
    const id = String(req.params.id);
    const body = RolesBody.safeParse(req.body ?? {});
    if (!body.success) {
      setAudit(res, { what: 'major-incident.roles', target: id, refused: 'INVALID_REQUEST' });
      return void res.status(400).json(badRequest(body.error));
    }
    const { reason, actor, ...roles } = body.data;
    const person = actor ?? 'admin-api';
    const result = await changeRoles(change(), id, roles, person, reason);
    setAudit(res, {
      what: 'major-incident.roles',
      actor: person,
      target: id,
      ...(reason ? { reason } : {}),
      ...(result.ok ? { before: result.before, after: result.after } : { refused: result.code }),
    });
    if (!result.ok) return refused(res, result);
    res.json({ majorIncident: result.mi, changed: result.changed });
  });

  router.post('/admin/major-incidents/:id/audiences', requireRole('operator'), async (req, res) => {
    const id = String(req.params.id);
    const body = AudiencesBody.safeParse(req.body ?? {});
    if (!body.success) {
      setAudit(res, { what: 'major-incident.audiences', target: id, refused: 'INVALID_REQUEST' });
      return void res.status(400).json(badRequest(body.error));
    }
    const { add, remove, reason, actor } = body.data;
    const known = new Set(catalogue().audiences.audiences.map((a) => a.id));
    const issues = [
      ...add.flatMap((a, i) =>
        known.has(a) ? [] : [{ path: `add.${i}`, message: `no audience "${a}" in audiences.yaml` }],
      ),
      ...remove.flatMap((a, i) =>
        known.has(a) ? [] : [{ path: `remove.${i}`, message: `no audience "${a}" in audiences.yaml` }],
      ),
      ...remove.flatMap((a, i) => (add.includes(a) ? [{ path: `remove.${i}`, message: `"${a}" is also in add` }] : [])),
    ];
    if (issues.length) {
      setAudit(res, { what: 'major-incident.audiences', target: id, refused: 'INVALID_REQUEST' });
      return void res.status(400).json(invalid(issues));
    }
    const person = actor ?? 'admin-api';
    const ofService = (serviceId: string) =>
      catalogue().services.services.find((s) => s.id === serviceId)?.audiences ?? [];
    const result = await changeMiAudiences(change(), id, ofService, { add, remove }, person, reason);
    setAudit(res, {
      what: 'major-incident.audiences',
      actor: person,
      target: id,
      ...(reason ? { reason } : {}),
      add,
      remove,
      ...(result.ok ? { before: result.before, after: result.after } : { refused: result.code }),
    });
    if (!result.ok) return refused(res, result);
    res.json({ majorIncident: result.mi, changed: result.changed, audiences: result.after });
  });

  return router;
}
