import express, { type Router } from 'express';
import { z } from 'zod';
import { postUpdate } from '../../orchestrator/post-update.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

export const UpdateBody = z.strictObject({
  text: z.string().trim().min(1).max(10_000).describe('the update, as the audiences should read it'),
  actor: z.string().trim().min(1).max(200).optional().describe("who posts it (default: the token's name)"),
});

/**
 * `POST /admin/major-incidents/:id/updates`: the comms lead's update, sent to every audience by the update playbook.
 */
export function updateRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  router.post('/admin/major-incidents/:id/updates', requireRole('operator'), async (req, res) => {
    const body = UpdateBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const author = body.data.actor ?? String(res.locals.actor ?? 'admin-api');
    const result = await postUpdate(
      { store: deps.store, rules: deps.rules(), now: new Date() },
      req.params.id,
      body.data.text,
      author,
    );
    setAudit(res, {
      what: 'major-incident.update',
      actor: author,
      target: req.params.id,
      after: result.ok ? { actions: result.actions } : result.code,
    });
    if (!result.ok) {
      return void res.status(result.code === 'NOT_FOUND' ? 404 : 409).json({
        error: result.code.toLowerCase(),
        ...(result.code === 'NOT_DECLARED' ? { reason: 'updates go out while the major incident is declared' } : {}),
      });
    }
    void deps
      .kick()
      .catch((err: unknown) => deps.logger.warn({ err }, 'could not kick the action relay; it runs on its own tick'));
    res.status(202).json({ posted: true, actions: result.actions });
  });
  return router;
}
