import express, { type Router } from 'express';
import { z } from 'zod';
import { deadLettersGauge } from '../../observability/metrics.ts';
import { Target } from '../../domain/action.ts';
import { discardDeadLetter } from '../../queue/actions/discard.ts';
import { replayAllDeadLetters, replayDeadLetter } from '../../queue/actions/replay.ts';
import { deadLetterGroupRoutes } from './dead-letter-group-routes.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { badRequest, Reason } from './schemas.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

export const ReplayAllQuery = z.object({ target: Target });

/**
 * Actions that failed for good: list them, send one (or all of a target) again under their own ids, or drop one with a
 * reason.
 */
export function deadLetterRoutes(deps: AdminDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  const updateGauge = async () => deadLettersGauge.set(await deps.deadLetters.count());

  router.get('/admin/dead-letters', requireRole('viewer'), async (req, res) => {
    const target = typeof req.query.target === 'string' ? req.query.target : undefined;
    res.json({ deadLetters: await deps.deadLetters.list(200, target) });
  });

  // Before `/:id/replay`, which `/groups/replay` would match too.
  router.use(deadLetterGroupRoutes(deps, updateGauge));

  router.post('/admin/dead-letters/replay', requireRole('operator'), async (req, res) => {
    const query = ReplayAllQuery.safeParse(req.query);
    if (!query.success) return void res.status(400).json(badRequest(query.error));
    const { target } = query.data;
    const result = await replayAllDeadLetters(target, deps.deadLetters, deps.actionQueues);
    if (result === 'no_queue') {
      setAudit(res, { what: 'dead-letter.replay-all', target, before: 'dead', after: 'dead', result });
      return void res.status(409).json({ error: 'no_queue' });
    }
    setAudit(res, {
      what: 'dead-letter.replay-all',
      target,
      before: 'dead',
      after: 'queued',
      replayed: result.replayed,
    });
    await updateGauge();
    res.json({ target, ...result });
  });

  router.post('/admin/dead-letters/:id/replay', requireRole('operator'), async (req, res) => {
    const id = String(req.params.id);
    const result = await replayDeadLetter(id, deps.deadLetters, deps.actionQueues);
    setAudit(res, {
      what: 'dead-letter.replay',
      target: id,
      before: 'dead',
      after: result === 'replayed' ? 'queued' : 'dead',
      result,
    });
    if (result !== 'replayed') return void res.status(result === 'not_found' ? 404 : 409).json({ error: result });
    await updateGauge();
    res.json({ replayed: id });
  });

  router.post('/admin/dead-letters/:id/discard', requireRole('operator'), async (req, res) => {
    const id = String(req.params.id);
    const body = Reason.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const actor = body.data.actor ?? 'admin-api';
    const outcome = await discardDeadLetter(id, { reason: body.data.reason, actor }, deps.deadLetters, deps.store);
    const discarded = outcome.result === 'discarded';
    setAudit(res, {
      what: 'dead-letter.discard',
      actor,
      target: id,
      reason: body.data.reason,
      before: discarded ? 'dead' : 'none',
      after: discarded ? 'discarded' : 'none',
      ...(discarded ? { job: outcome.letter.job } : {}),
    });
    if (!discarded) return void res.status(404).json({ error: 'not_found' });
    await updateGauge();
    res.json({ discarded: id });
  });

  return router;
}
