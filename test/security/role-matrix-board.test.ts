import { appRoutes } from '@bull-board/api/dist/routes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { checkRoute, send, startMatrixService, type Need, type Route } from './lib/role-matrix.ts';

/**
 * Bull Board's role table, as the README states it: viewers read; operators retry, promote,
 * remove, clean, pause and resume; nobody adds or edits jobs, empties or obliterates queues, or
 * changes how the workers run them. Every route the installed board declares must be in exactly
 * one list, so a board upgrade fails here until its new routes are classified.
 */
const VIEWER = [
  'get /api/redis/stats',
  'get /api/queues',
  'get /api/job-schedulers',
  'get /api/queues/:queueName/metrics',
  'get /api/queues/:queueName/default-job-options',
  'get /api/queues/:queueName/workers',
  'get /api/queues/:queueName/rate-limit',
  'get /api/queues/:queueName/job-data-schema',
  'get /api/queues/:queueName/:jobId/logs',
  'get /api/queues/:queueName/:jobId/flow',
  'get /api/queues/:queueName/:jobId',
  'get /',
  'get /metrics-history',
  'get /job-schedulers',
  'get /queue/:queueName',
  'get /queue/:queueName/:jobId',
];
const OPERATOR = [
  'put /api/queues/pause',
  'put /api/queues/resume',
  'put /api/queues/:queueName/pause',
  'put /api/queues/:queueName/resume',
  'put /api/queues/:queueName/retry/:queueStatus',
  'put /api/queues/:queueName/:jobId/retry',
  'put /api/queues/:queueName/promote',
  'put /api/queues/:queueName/:jobId/promote',
  'put /api/queues/:queueName/clean/:queueStatus',
  'put /api/queues/:queueName/:jobId/clean',
];
const REFUSED = [
  'post /api/queues/:queueName/add',
  'patch /api/queues/:queueName/:jobId/update-data',
  'put /api/queues/:queueName/empty',
  'put /api/queues/:queueName/obliterate',
  'put /api/queues/:queueName/:jobId/remove-unprocessed-children',
  'patch /api/queues/:queueName/:jobId/delay',
  'patch /api/queues/:queueName/:jobId/priority',
  'put /api/queues/:queueName/concurrency',
  'put /api/queues/:queueName/rate-limit',
  'put /api/queues/:queueName/rate-limit/release',
  'put /api/queues/:queueName/job-schedulers/:schedulerId/remove',
  'patch /api/queues/:queueName/job-schedulers/:schedulerId',
  'put /api/queues/:queueName/job-schedulers/:schedulerId/run',
];

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);
const declared = [appRoutes.entryPoint, ...appRoutes.api].flatMap((r) =>
  list(r.method).flatMap((m) => list(r.route).map((p) => `${m} ${p}`)),
);

const needOf = (key: string): Need =>
  VIEWER.includes(key) ? 'viewer' : OPERATOR.includes(key) ? 'operator' : 'refused';
const ROUTES: Route[] = [...VIEWER, ...OPERATOR, ...REFUSED].map((key) => {
  const [method, route] = key.split(' ') as [string, string];
  return { method: method.toUpperCase(), template: `/admin/queues${route}`, need: needOf(key) };
});
/** A real asset of the board's pages: they are served to viewers like the pages. */
const ASSET: Route = { method: 'GET', template: '/admin/queues/static/favicon.ico', need: 'viewer' };

const SAMPLE: Record<string, string> = {
  queueName: 'timers',
  jobId: 'nope',
  queueStatus: 'failed',
  schedulerId: 'nope',
};
const concrete = (template: string) => template.replace(/:(\w+)/g, (_m, name: string) => SAMPLE[name] ?? 'x');

let svc: TestService;
beforeAll(async () => {
  svc = await startMatrixService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

describe('the board role table', () => {
  it('classifies every route the installed Bull Board declares, each once', () => {
    const listed = [...VIEWER, ...OPERATOR, ...REFUSED];
    expect(new Set(listed).size).toBe(listed.length);
    expect(declared.filter((k) => !listed.includes(k))).toEqual([]);
    expect(listed.filter((k) => !declared.includes(k))).toEqual([]);
  });
});

describe('every Bull Board route, for no token, a bad token, viewer, operator and admin, in every spelling', () => {
  it.each([...ROUTES, ASSET].map((r) => [`${r.method} ${r.template} (${r.need})`, r] as const))(
    '%s',
    async (_name, route) => {
      expect(await checkRoute(svc.url!, route, concrete(route.template), ROUTES)).toEqual([]);
    },
  );
});

describe('the states a board action may touch', () => {
  // Bull Board hands `:queueStatus` to BullMQ unchecked: cleaning `wait` or `delayed` would delete
  // actions and timers not yet done, and retrying `completed` would run done actions again.
  const REFUSED_STATES: ReadonlyArray<readonly [string, string]> = [
    ...['wait', 'waiting', 'delayed', 'paused', 'prioritized', 'active', 'waiting-children'].map(
      (s) => ['clean', s] as const,
    ),
    ...['completed', 'wait', 'delayed', 'active'].map((s) => ['retry', s] as const),
  ];
  it.each(REFUSED_STATES)('%s/%s answers 404 to operator and admin, and a waiting job stays', async (action, state) => {
    const queue = svc.queue;
    // Never run: delayed an hour, and removed below.
    const job = await queue.add('board-state-probe', { probe: true } as never, { delay: 3_600_000 });
    for (const cred of ['operator', 'admin'] as const) {
      const answer = await send(
        svc.url!,
        'PUT',
        `/admin/queues/api/queues/${encodeURIComponent(queue.name)}/${action}/${state}`,
        cred,
      );
      expect({ cred, status: answer.status }).toEqual({ cred, status: 404 });
    }
    expect(await queue.getJob(job.id!)).toBeDefined();
    await job.remove();
  });

  it("clean/failed and retry/failed stay an operator's", async () => {
    const queue = svc.queue;
    for (const action of ['clean', 'retry']) {
      const answer = await send(
        svc.url!,
        'PUT',
        `/admin/queues/api/queues/${encodeURIComponent(queue.name)}/${action}/failed`,
        'operator',
      );
      expect({ action, status: answer.status }).toEqual({ action, status: 200 });
    }
  });
});
