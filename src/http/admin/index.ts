import express, { type Request, type Response, type Router } from 'express';
import type { ConfigStore } from '../../config/config-store.ts';
import { ConfigError } from '../../config/files/config-error.ts';
import { loadConfig } from '../../config/files/load-config.ts';
import type { MajorIncident, TimelineEntry } from '../../domain/major-incident.ts';
import type { Logger } from '../../observability/logger.ts';
import { manualDeclare, manualMove, type ManualResult } from '../../orchestrator/manual-actions.ts';
import type { MiStore } from '../../orchestrator/mi-store.ts';
import type { RulesRuntime, ServiceRef } from '../../orchestrator/rules-runtime.ts';
import type { Target } from '../../queue/actions/action-job.ts';
import type { DeadLetters } from '../../queue/actions/dead-letters.ts';
import { replayDeadLetter } from '../../queue/actions/replay.ts';
import type { Queue } from 'bullmq';
import { requireToken } from './auth.ts';
import { badRequest, DeclareBody, ListQuery, Reason, SimulateBody, ValidateBody } from './schemas.ts';

export interface AdminDeps {
  readonly token: string | undefined;
  readonly config: ConfigStore;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly rules: () => RulesRuntime;
  readonly deadLetters: DeadLetters;
  readonly actionQueues: ReadonlyMap<Target, Queue>;
  /** Moves newly planned actions to their queues now (the relay's kick). */
  readonly kick: () => Promise<unknown>;
  readonly logger: Logger;
}

const STATUS_OF = { NOT_FOUND: 404, ILLEGAL_TRANSITION: 409, CONFLICT: 409, SERVICE_BUSY: 409, UNKNOWN_SERVICE: 400 } as const;

export function adminRouter(deps: AdminDeps): Router {
  if (!deps.token) deps.logger.warn('MIM_ADMIN_TOKEN is not set: every /admin call answers 401');
  const router = express.Router();
  router.use('/admin', requireToken(deps.token), express.json({ limit: '256kb' }));
  const serviceRef = (id: string): ServiceRef | undefined => {
    const s = deps.config.current().services.services.find((x) => x.id === id);
    return s && { id: s.id, name: s.name, tier: s.tier, roles: { majorIncidentManager: s.owners.majorIncidentManager, commsLead: s.owners.commsLead, ...(s.owners.serviceOwner ? { serviceOwner: s.owners.serviceOwner } : {}), ...(s.owners.resolverGroup ? { resolverGroup: s.owners.resolverGroup } : {}) } };
  };
  const audit = (req: Request, what: string, detail: Record<string, unknown>) =>
    deps.logger.info({ audit: true, actor: req.body?.actor ?? 'admin-token', what, ...detail }, `admin: ${what}`);
  const answer = (res: Response, result: ManualResult) => {
    if (result.ok) res.json({ majorIncident: result.mi });
    else res.status(STATUS_OF[result.code]).json({ error: result.code.toLowerCase(), reason: result.reason, ...(result.openId ? { openId: result.openId } : {}) });
  };

  router.get('/admin/rules', (_req, res) => {
    const c = deps.config.current();
    res.json({
      version: c.version, loadedAt: c.loadedAt, evaluation: c.rules.evaluation,
      rules: c.rules.rules.map((r) => ({ id: r.id, description: r.description, when: r.when, then: r.then, enabled: r.enabled })),
      windows: c.rules.windows,
    });
  });

  router.post('/admin/rules/validate', async (req, res) => {
    const body = ValidateBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    try {
      const loaded = await loadConfig(body.data.dir ?? deps.config.current().dir);
      res.json({ valid: true, version: loaded.version });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      res.status(422).json({ valid: false, issues: err.issues });
    }
  });

  router.post('/admin/rules/reload', async (req, res) => {
    const result = await deps.config.reload('admin');
    audit(req, 'rules.reload', { result: result.ok ? { version: result.version, changed: result.changed } : 'rejected' });
    if (result.ok) res.json(result);
    else res.status(422).json({ ok: false, issues: result.error.issues });
  });

  router.post('/admin/rules/simulate', (req, res) => {
    const body = SimulateBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const rules = deps.rules();
    const incident = body.data.event;
    const service = rules.resolveService(incident);
    const window = Object.fromEntries(rules.windows.map((w) => [w.id, { count: body.data.window[w.id] ?? 0, distinctCallers: 0 }]));
    const evaluation = rules.evaluate({ incident, service, window, now: new Date() });
    res.json({ configVersion: rules.version, service: service ?? null, evaluation });
  });

  router.get('/admin/major-incidents', async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success) return void res.status(400).json(badRequest(q.error));
    const from = q.data.from ? Date.parse(q.data.from) : 0;
    const to = q.data.to ? Date.parse(q.data.to) : Number.MAX_SAFE_INTEGER;
    const rows = await deps.store.list(from, to, 1_000);
    const filtered = rows.filter((m) => (!q.data.state || m.state === q.data.state) && (!q.data.service || m.serviceId === q.data.service));
    res.json({ majorIncidents: filtered.slice(0, q.data.limit) });
  });

  router.get('/admin/major-incidents/:id', async (req, res) => {
    const id = String(req.params.id);
    const mi = await deps.store.get(id);
    if (!mi) return void res.status(404).json({ error: 'not_found' });
    const [children, timeline] = await Promise.all([deps.store.children(id), deps.store.timeline(id)]);
    res.json({ majorIncident: mi, children, timeline });
  });

  router.post('/admin/major-incidents', async (req, res) => {
    const body = DeclareBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const result = await manualDeclare({ store: deps.store, rules: deps.rules(), services: serviceRef, now: new Date() }, body.data.serviceId, body.data.title, body.data.actor ?? 'admin-api', body.data.reason);
    audit(req, 'major-incident.declare', { serviceId: body.data.serviceId, ok: result.ok, ...(result.ok ? { id: result.mi.id } : { code: result.code }) });
    if (result.ok) void deps.kick();
    if (!result.ok && result.code === 'UNKNOWN_SERVICE') return void res.status(400).json({ error: 'invalid_request', field: 'serviceId', reason: result.reason });
    answer(res.status(result.ok ? 201 : 200), result);
  });

  for (const [verb, trigger] of [['resolve', 'manual.resolve'], ['cancel', 'manual.cancel'], ['close', 'manual.close']] as const) {
    router.post(`/admin/major-incidents/:id/${verb}`, async (req, res) => {
      const body = Reason.safeParse(req.body ?? {});
      if (!body.success) return void res.status(400).json(badRequest(body.error));
      const id = String(req.params.id);
      const before = (await deps.store.get(id))?.state;
      const result = await manualMove({ store: deps.store, rules: deps.rules(), services: serviceRef, now: new Date() }, id, trigger, body.data.actor ?? 'admin-api', body.data.reason);
      audit(req, `major-incident.${verb}`, { id, before, after: result.ok ? result.mi.state : before, ok: result.ok, reason: body.data.reason });
      if (result.ok) void deps.kick();
      answer(res, result);
    });
  }

  router.get('/admin/dead-letters', async (req, res) => {
    const target = typeof req.query.target === 'string' ? req.query.target : undefined;
    res.json({ deadLetters: await deps.deadLetters.list(200, target) });
  });

  router.post('/admin/dead-letters/:id/replay', async (req, res) => {
    const id = String(req.params.id);
    const result = await replayDeadLetter(id, deps.deadLetters, deps.actionQueues);
    audit(req, 'dead-letter.replay', { id, result });
    if (result === 'replayed') res.json({ replayed: id });
    else res.status(result === 'not_found' ? 404 : 409).json({ error: result });
  });

  router.post('/admin/dead-letters/:id/discard', async (req, res) => {
    const body = Reason.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const id = String(req.params.id);
    const letter = await deps.deadLetters.get(id);
    if (!letter || !(await deps.deadLetters.remove(id))) return void res.status(404).json({ error: 'not_found' });
    audit(req, 'dead-letter.discard', { id, reason: body.data.reason, job: letter.job });
    res.json({ discarded: id });
  });

  return router;
}
