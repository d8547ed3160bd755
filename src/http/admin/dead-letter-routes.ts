import express, { type Router } from 'express';
import { replayDeadLetter } from '../../queue/actions/replay.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, Reason } from './schemas.ts';

/** Actions that failed for good: list them, send one again under its own id, or drop it with a reason. */
export function deadLetterRoutes(deps: AdminDeps): Router {
  const router = express.Router();

  router.get('/admin/dead-letters', async (req, res) => {
    const target = typeof req.query.target === 'string' ? req.query.target : undefined;
    res.json({ deadLetters: await deps.deadLetters.list(200, target) });
  });

  router.post('/admin/dead-letters/:id/replay', async (req, res) => {
    const id = String(req.params.id);
    const result = await replayDeadLetter(id, deps.deadLetters, deps.actionQueues);
    setAudit(res, { what: 'dead-letter.replay', target: id, before: 'dead', after: result === 'replayed' ? 'queued' : 'dead', result });
    if (result === 'replayed') res.json({ replayed: id });
    else res.status(result === 'not_found' ? 404 : 409).json({ error: result });
  });

  router.post('/admin/dead-letters/:id/discard', async (req, res) => {
    const id = String(req.params.id);
    const body = Reason.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const letter = await deps.deadLetters.get(id);
    const removed = letter !== undefined && (await deps.deadLetters.remove(id));
    setAudit(res, {
      what: 'dead-letter.discard', actor: body.data.actor ?? 'admin-api', target: id, reason: body.data.reason,
      before: letter ? 'dead' : 'none', after: removed ? 'discarded' : 'none', ...(letter ? { job: letter.job } : {}),
    });
    if (!removed) return void res.status(404).json({ error: 'not_found' });
    res.json({ discarded: id });
  });

  return router;
}
