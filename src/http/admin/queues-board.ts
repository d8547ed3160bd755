import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import { BOARD_API, BOARD_PAGES, isOffered } from './board-routes.ts';
import { EXACT_ROUTING, requireRole } from './require-role.ts';

export const BOARD_PATH = '/admin/queues';

/** Bull Board with only the offered API routes registered: what is not offered does not exist in it at all. */
class OfferedRoutesAdapter extends ExpressAdapter {
  override setApiRoutes(routes: Parameters<ExpressAdapter['setApiRoutes']>[0]): ExpressAdapter {
    return super.setApiRoutes(routes.filter(isOffered));
  }
}

/** The board is never framed: its buttons act with the operator's cookie (clickjacking). */
function noFraming(_req: Request, res: Response, next: NextFunction): void {
  res.set({ 'content-security-policy': "frame-ancestors 'none'", 'x-frame-options': 'DENY' });
  next();
}

/**
 * Bull Board at /admin/queues, behind the admin token (or session cookie) check. Its own router
 * matches paths loosely (any letter case, a trailing slash), so it is reached only through routes
 * of our own that match exactly, each with its role: the board's pages and reads for viewers,
 * the offered repairs for operators (board-routes.ts). Any other path or spelling reaches no
 * route (404 `unknown_endpoint`), and the board itself lacks the routes that are not offered.
 * Its actions are audited like any mutating admin call.
 */
/** A state the route does not offer answers like a route not offered: 404, whatever the role. */
function onlyStatuses(statuses: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (statuses.includes(String(req.params.queueStatus))) return next();
    res.status(404).json({
      error: 'unknown_endpoint',
      reason: `the board offers this action for ${statuses.join(' and ')} jobs only`,
    });
  };
}

export function queuesBoard(queues: readonly Queue[]): Router {
  const adapter = new OfferedRoutesAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { allowRetries: true, readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'mim-bridge queues' } },
  });
  const bullBoard = adapter.getRouter() as express.Express;
  bullBoard.disable('x-powered-by');
  const board = express();
  board.disable('x-powered-by');
  board.set('case sensitive routing', EXACT_ROUTING.caseSensitive).set('strict routing', EXACT_ROUTING.strict);
  board.use(noFraming);
  for (const r of [...BOARD_PAGES, ...BOARD_API]) {
    board[r.method](
      r.route,
      requireRole(r.role),
      ...(r.statuses ? [onlyStatuses(r.statuses)] : []),
      bullBoard as RequestHandler,
    );
  }
  const router = express.Router(EXACT_ROUTING);
  router.use(BOARD_PATH, board);
  return router;
}
