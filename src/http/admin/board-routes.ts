import type { AdminRole } from './tokens.ts';

export interface BoardRoute {
  readonly method: 'get' | 'put';
  /** As Bull Board declares it (@bull-board/api routes.js), relative to /admin/queues. */
  readonly route: string;
  readonly role: AdminRole;
  /**
   * The `:queueStatus` values offered, where the route takes one. Bull Board passes it to BullMQ
   * unchecked, and cleaning `wait`, `delayed`, `paused` or `prioritized` deletes work not yet
   * done (vendor actions, escalation timers); retrying `completed` runs done actions again.
   */
  readonly statuses?: readonly string[];
}

/** The board's pages and their assets: reading. */
export const BOARD_PAGES: readonly BoardRoute[] = [
  '/',
  '/metrics-history',
  '/job-schedulers',
  '/queue/:queueName',
  '/queue/:queueName/:jobId',
  '/static/*asset',
].map((route) => ({ method: 'get', route, role: 'viewer' }));

const read = (route: string): BoardRoute => ({ method: 'get', route, role: 'viewer' });
const act = (route: string, statuses?: readonly string[]): BoardRoute => ({
  method: 'put',
  route,
  role: 'operator',
  ...(statuses ? { statuses } : {}),
});

/**
 * The only Bull Board API calls offered: every read, and the repairs an operator needs (retry,
 * the failed, promote, remove a job, clean the completed or the failed, pause and resume). Everything else the board
 * has is absent, whatever the role: adding a job or rewriting its data makes vendor calls no rule decided; emptying or
 * obliterating a queue, dropping a job's unprocessed children, rescheduling or re-prioritising a job, and changing a
 * queue's concurrency, rate limit or job schedulers change what the workers do without the orchestrator knowing. A
 * board upgrade adds nothing here by itself: a route not listed is not served (test/security/role-matrix-board.test.ts
 * lists them all).
 */
export const BOARD_API: readonly BoardRoute[] = [
  read('/api/redis/stats'),
  read('/api/queues'),
  read('/api/job-schedulers'),
  read('/api/queues/:queueName/metrics'),
  read('/api/queues/:queueName/default-job-options'),
  read('/api/queues/:queueName/workers'),
  read('/api/queues/:queueName/rate-limit'),
  read('/api/queues/:queueName/job-data-schema'),
  read('/api/queues/:queueName/:jobId/logs'),
  read('/api/queues/:queueName/:jobId/flow'),
  read('/api/queues/:queueName/:jobId'),
  act('/api/queues/pause'),
  act('/api/queues/resume'),
  act('/api/queues/:queueName/retry/:queueStatus', ['failed']),
  act('/api/queues/:queueName/promote'),
  act('/api/queues/:queueName/clean/:queueStatus', ['completed', 'failed']),
  act('/api/queues/:queueName/pause'),
  act('/api/queues/:queueName/resume'),
  act('/api/queues/:queueName/:jobId/retry'),
  act('/api/queues/:queueName/:jobId/clean'),
  act('/api/queues/:queueName/:jobId/promote'),
];

const OFFERED = new Set(BOARD_API.map((r) => `${r.method} ${r.route}`));
const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

/** Whether every method and path a board route declares is offered. */
export const isOffered = (r: {
  readonly method: string | readonly string[];
  readonly route: string | readonly string[];
}): boolean => list(r.method).every((m) => list(r.route).every((p) => OFFERED.has(`${m} ${p}`)));
