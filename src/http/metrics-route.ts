import type { Request, Response } from 'express';
import type { Queue } from 'bullmq';
import { queueDepth, registry, SCRAPE_REDIS_TIMEOUT_MS } from '../observability/metrics.ts';
import { withTimeout } from '../lib/with-timeout.ts';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** Queue depth is read at scrape time; a Redis outage leaves the last values and never fails the scrape. */
export function metricsRoute(queues: readonly Queue[]) {
  return async (_req: Request, res: Response): Promise<void> => {
    await Promise.all(
      queues.map(async (q) => {
        try {
          const counts = await withTimeout(
            q.getJobCounts(...STATES),
            SCRAPE_REDIS_TIMEOUT_MS,
            () => new Error('timed out'),
          );
          for (const state of STATES) queueDepth.set({ queue: q.name, state }, counts[state] ?? 0);
        } catch {
          /* keep the previous sample */
        }
      }),
    );
    res.set('content-type', registry.contentType).send(await registry.metrics());
  };
}
