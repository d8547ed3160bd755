import express, { type Router } from 'express';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { simulateRules, validateRules } from './rules-sandboxed.ts';
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
      version: c.version,
      loadedAt: c.loadedAt,
      dir: c.dir,
      evaluation: c.rules.evaluation,
      rules: c.rules.rules.map((r) => ({
        id: r.id,
        description: r.description,
        when: r.when,
        then: r.then,
        enabled: r.enabled,
      })),
      windows: c.rules.windows,
    });
  });

  router.post('/admin/rules/validate', requireRole('viewer'), async (req, res) => {
    await validateRules(deps, req, res);
  });

  router.post('/admin/rules/reload', requireRole('admin'), async (_req, res) => {
    const before = deps.config.current().version;
    const result = await deps.config.reload('admin');
    setAudit(res, { what: 'rules.reload', before, after: result.ok ? result.version : before });
    if (result.ok) res.json(result);
    else res.status(422).json({ ok: false, activeVersion: result.activeVersion, issues: result.error.issues });
  });

  router.post('/admin/rules/simulate', requireRole('viewer'), async (req, res) => {
    await simulateRules(deps, req, res);
  });

  return router;
}
