import express, { type Router } from 'express';
import { z } from 'zod';
import { Target } from '../../domain/action.ts';
import {
  discardDeadLetterGroup,
  GROUP_SCAN_LIMIT,
  groupDeadLetters,
  replayDeadLetterGroup,
} from '../../queue/actions/dead-letter-groups.ts';
import { setAudit } from './audit.ts';
import type { AdminDeps } from './deps.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';
import { badRequest, Reason } from './schemas.ts';

/** A group of dead letters: its target (`unknown` for letters of malformed jobs) and error code. */
export const GroupBody = z.object({
  target: z.union([Target, z.literal('unknown')]),
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9_]{1,100}$/, 'an error code such as SLACK_CHANNEL_NOT_FOUND'),
});
export const GroupDiscardBody = Reason.extend(GroupBody.shape);

/**
 * Dead letters by target and error code, with the likely fix (viewer); replay or discard a whole
 * group (operator, audited like the single-letter calls). Mounted before `/:id/replay`.
 */
export function deadLetterGroupRoutes(deps: AdminDeps, updateGauge: () => Promise<void>): Router {
  const router = express.Router(EXACT_ROUTING);

  router.get('/admin/dead-letters/groups', requireRole('viewer'), async (_req, res) => {
    const [letters, total] = await Promise.all([deps.deadLetters.list(GROUP_SCAN_LIMIT), deps.deadLetters.count()]);
    res.json({ groups: groupDeadLetters(letters), scanned: letters.length, total });
  });

  router.post('/admin/dead-letters/groups/replay', requireRole('operator'), async (req, res) => {
    const body = GroupBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const { target, code } = body.data;
    const result = await replayDeadLetterGroup(body.data, deps.deadLetters, deps.actionQueues);
    const group = `${target}/${code}`;
    if (result === 'no_queue') {
      setAudit(res, { what: 'dead-letter.replay-group', target: group, before: 'dead', after: 'dead', result });
      return void res.status(409).json({ error: 'no_queue' });
    }
    setAudit(res, {
      what: 'dead-letter.replay-group',
      target: group,
      before: 'dead',
      after: result.done.length ? 'queued' : 'none',
      replayed: result.done,
    });
    if (!result.done.length && !result.notFound.length) return void res.status(404).json({ error: 'not_found' });
    await updateGauge();
    res.json({ target, code, replayed: result.done, notFound: result.notFound });
  });

  router.post('/admin/dead-letters/groups/discard', requireRole('operator'), async (req, res) => {
    const body = GroupDiscardBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const { target, code, reason } = body.data;
    const actor = body.data.actor ?? 'admin-api';
    const result = await discardDeadLetterGroup({ target, code }, { reason, actor }, deps.deadLetters, deps.store);
    setAudit(res, {
      what: 'dead-letter.discard-group',
      actor,
      target: `${target}/${code}`,
      reason,
      before: result.done.length ? 'dead' : 'none',
      after: result.done.length ? 'discarded' : 'none',
      discarded: result.done,
    });
    if (!result.done.length && !result.notFound.length) return void res.status(404).json({ error: 'not_found' });
    await updateGauge();
    res.json({ target, code, discarded: result.done, notFound: result.notFound });
  });

  return router;
}
