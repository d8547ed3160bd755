import express, { type Express } from 'express';
import type { Queue } from 'bullmq';
import { healthz, readyz, type ReadinessDeps } from './health.ts';
import { metricsRoute } from './metrics-route.ts';

/**
 * What a `MIM_ROLE=worker` process serves: liveness, readiness and its own metrics (the counters
 * only workers move: actions, escalations, overdue updates, timers, reconciliation), so Prometheus
 * can scrape every process. No webhooks and no admin API.
 */
export function createProbeApp(deps: {
  readonly readiness: ReadinessDeps;
  readonly queues: readonly Queue[];
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', healthz);
  app.get('/readyz', readyz(deps.readiness));
  app.get('/metrics', metricsRoute(deps.queues));
  app.use(
    (_req, res) =>
      void res
        .status(404)
        .json({ error: 'not_found', hint: 'a worker process serves /healthz, /readyz and /metrics only' }),
  );
  return app;
}
