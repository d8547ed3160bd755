import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';

export const BOARD_PATH = '/admin/queues';

/**
 * Board actions that bypass the orchestrator rather than repair a job: adding a job or rewriting
 * its data would make vendor calls no rule decided; emptying or obliterating a queue loses work
 * no dead letter records. Retry, promote, remove, clean, pause and resume stay (operator role).
 */
const REFUSED = [/\/api\/queues\/[^/]+\/add$/, /\/api\/queues\/[^/]+\/[^/]+\/update-data$/, /\/api\/queues\/[^/]+\/(empty|obliterate)$/];

function refuseUnsafe(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && REFUSED.some((re) => re.test(req.path))) {
    res.status(403).json({ error: 'forbidden', reason: 'not offered through the admin API' });
    return;
  }
  next();
}

/**
 * Bull Board at /admin/queues, behind the admin router's bearer (or session cookie) check.
 * Its reads are GETs (viewer); its actions are PUT, PATCH, POST or DELETE, which `requiredRole`
 * already gives to operators, and the audit log records them like any mutating admin call.
 */
export function queuesBoard(queues: readonly Queue[]): Router {
  const adapter = new ExpressAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { allowRetries: true, readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'mim-bridge queues' } },
  });
  const router = express.Router();
  router.use(BOARD_PATH, refuseUnsafe, adapter.getRouter() as express.Router);
  return router;
}
