import express, { type Router } from 'express';
import { simulate } from '../../cli/simulate.ts';
import { ConfigError } from '../../config/files/config-error.ts';
import { loadConfig } from '../../config/files/load-config.ts';
import { incidentKey } from '../../domain/incident-event.ts';
import { decide } from '../../orchestrator/decide.ts';
import { fromCel } from '../../rules/cel.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, ValidateBody } from './schemas.ts';
import { simulationConfig } from './simulate-config.ts';
import { DraftFiles } from './schemas.ts';
import { parseSimulate } from './simulate-request.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

/**
 * The active rules, checking a directory, reloading from MIM_CONFIG_DIR and dry runs. Applying a
 * version through the API, its history, diff and rollback are rules-version-routes.ts.
 */
export function rulesRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);

  router.get('/admin/rules', requireRole('viewer'), (_req, res) => {
    const c = deps.config.current();
    res.json({
      version: c.version, loadedAt: c.loadedAt, dir: c.dir, evaluation: c.rules.evaluation,
      rules: c.rules.rules.map((r) => ({ id: r.id, description: r.description, when: r.when, then: r.then, enabled: r.enabled })),
      windows: c.rules.windows,
    });
  });

  router.post('/admin/rules/validate', requireRole('viewer'), async (req, res) => {
    const body = ValidateBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const dir = body.data.dir ?? deps.config.current().dir;
    try {
      const loaded = await loadConfig(dir);
      res.json({ valid: true, version: loaded.version, dir, active: loaded.version === deps.config.current().version });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      res.status(422).json({ valid: false, dir, issues: err.issues });
    }
  });

  router.post('/admin/rules/reload', requireRole('admin'), async (_req, res) => {
    const before = deps.config.current().version;
    const result = await deps.config.reload('admin');
    setAudit(res, { what: 'rules.reload', before, after: result.ok ? result.version : before });
    if (result.ok) res.json(result);
    else res.status(422).json({ ok: false, activeVersion: result.activeVersion, issues: result.error.issues });
  });

  router.post('/admin/rules/simulate', requireRole('viewer'), async (req, res) => {
    const rawDraft = (req.body as { draft?: unknown } | undefined)?.draft;
    const draft = DraftFiles.safeParse(rawDraft);
    if (rawDraft !== undefined && !draft.success) return void res.status(400).json(badRequest(draft.error));
    const chosen = await simulationConfig(deps.config, draft.success ? draft.data : undefined);
    if (!chosen.ok) return void res.status(chosen.status).json(chosen.body);
    const { config } = chosen;
    const input = parseSimulate(req.body, config.compiled.windows.map((w) => w.id));
    if (!input.ok) return void res.status(input.status).json(input.body);
    const { event, window } = input;
    const sim = simulate(config, { event, ...(input.normalizedFrom ? { normalizedFrom: input.normalizedFrom } : {}) }, { window });
    // What the orchestrator would do with it now, given the major incidents already open: read-only.
    const serviceId = sim.service?.id ?? null;
    const [linked, open, last] = await Promise.all([
      deps.store.findByRecord(incidentKey(event)),
      serviceId ? deps.store.openFor(serviceId) : undefined,
      serviceId ? deps.store.lastFor(serviceId) : undefined,
    ]);
    const wouldDo = decide({
      event, serviceId, verdict: sim.evaluation, reopenWithinMinutes: config.rules.reopen.withinMinutes, now: new Date(),
      ...(linked ? { linked } : {}), ...(open ? { open } : {}), ...(last ? { last } : {}),
    });
    res.json(fromCel({ ...sim, wouldDo, draft: chosen.draft }));
  });

  return router;
}
