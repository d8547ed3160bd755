import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { activeFiles, applyVersion, type ApplyOutcome } from '../../config/versions/apply-version.ts';
import { VERSION_ID, type ConfigVersions } from '../../config/versions/config-versions.ts';
import { diffVersions } from '../../config/versions/diff-versions.ts';
import { mergeFiles } from '../../config/versions/version-files.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, invalid } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

const Comment = z.string().trim().min(1).max(500).optional();
/** A string replaces or adds a file; null removes a template. Files not named keep their active content. */
export const ApplyBody = z.object({ files: z.record(z.string(), z.string().nullable()), comment: Comment });
export const RollbackBody = z.object({
  to: z.string().regex(VERSION_ID, 'a version id: 12 hex digits'),
  comment: Comment,
});
const Against = z.object({
  against: z.union([z.literal('active'), z.string().regex(VERSION_ID, 'a version id or "active"')]).default('active'),
});

const unavailable = (res: Response) =>
  res.status(503).json({
    error: 'versions_unavailable',
    message: 'the version history needs Redis; it is not wired in this process',
  });

function answer(res: Response, what: string, outcome: ApplyOutcome, extra: Record<string, unknown> = {}): void {
  if (!outcome.ok) {
    setAudit(res, { what, rejected: true, ...extra });
    return void res.status(422).json({ valid: false, issues: outcome.issues });
  }
  setAudit(res, { what, before: outcome.previous, after: outcome.version, ...extra });
  res.json(outcome);
}

/**
 * Config versions through the API: apply (the active files with some replaced), history, one
 * version's files, a diff between two, rollback. Applying validates with the start-up loader and
 * makes the version active in every process (config/versions/config-sync.ts).
 */
export function rulesVersionRoutes(deps: Pick<AdminDeps, 'config'>): Router {
  const router = express.Router(EXACT_ROUTING);
  const versions = (): ConfigVersions | undefined => deps.config.versions;

  router.post('/admin/rules/apply', requireRole('admin'), async (req, res) => {
    const store = versions();
    if (!store) return void unavailable(res);
    const body = ApplyBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const base = await activeFiles(deps.config, store);
    if (!base)
      return void res.status(409).json({
        error: 'active_files_unknown',
        message: 'the active version is neither stored nor in MIM_CONFIG_DIR; apply every file, or reload from files',
      });
    const merged = mergeFiles(base, body.data.files);
    if ('problems' in merged)
      return void res
        .status(400)
        .json(invalid(merged.problems.map((p) => ({ path: `files.${p.file}`, message: p.message }))));
    const outcome = await applyVersion(deps.config, store, merged.files, {
      appliedBy: String(res.locals.actor ?? 'admin-api'),
      ...(body.data.comment ? { comment: body.data.comment } : {}),
    });
    answer(res, 'rules.apply', outcome, {
      files: Object.keys(body.data.files),
      ...(body.data.comment ? { comment: body.data.comment } : {}),
    });
  });

  router.post('/admin/rules/rollback', requireRole('admin'), async (req, res) => {
    const store = versions();
    if (!store) return void unavailable(res);
    const body = RollbackBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const files = await store.files(body.data.to);
    if (!files) return void res.status(404).json({ error: 'not_found', version: body.data.to });
    const comment = body.data.comment ?? `rollback to ${body.data.to}`;
    const outcome = await applyVersion(deps.config, store, files, {
      appliedBy: String(res.locals.actor ?? 'admin-api'),
      comment,
      rollbackOf: body.data.to,
    });
    answer(res, 'rules.rollback', outcome, { to: body.data.to, comment });
  });

  router.get('/admin/rules/versions', requireRole('viewer'), async (_req, res) => {
    const store = versions();
    if (!store) return void unavailable(res);
    const [history, active] = await Promise.all([store.history(), store.active()]);
    const newestActive = history.findIndex((e) => e.id === active);
    res.json({
      active,
      running: deps.config.current().version,
      versions: history.map((e, i) => ({ ...e, active: i === newestActive })),
    });
  });

  router.get('/admin/rules/versions/:id', requireRole('viewer'), async (req, res) => {
    const store = versions();
    if (!store) return void unavailable(res);
    const id = req.params.id;
    if (!VERSION_ID.test(id))
      return void res.status(400).json(invalid([{ path: 'id', message: 'a version id: 12 hex digits' }]));
    const files = await store.files(id);
    if (!files) return void res.status(404).json({ error: 'not_found', version: id });
    res.json({ id, files });
  });

  router.get('/admin/rules/versions/:id/diff', requireRole('viewer'), async (req, res) => {
    const store = versions();
    if (!store) return void unavailable(res);
    const id = req.params.id;
    if (!VERSION_ID.test(id))
      return void res.status(400).json(invalid([{ path: 'id', message: 'a version id: 12 hex digits' }]));
    const query = Against.safeParse(req.query);
    if (!query.success) return void res.status(400).json(badRequest(query.error, 'query'));
    const againstId = query.data.against === 'active' ? deps.config.current().version : query.data.against;
    const [to, from] = await Promise.all([
      store.files(id),
      againstId === deps.config.current().version ? activeFiles(deps.config, store) : store.files(againstId),
    ]);
    if (!to || !from) return void res.status(404).json({ error: 'not_found', version: to ? againstId : id });
    res.json({ from: againstId, to: id, files: diffVersions({ id: againstId, files: from }, { id, files: to }) });
  });

  return router;
}
