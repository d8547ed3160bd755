import type { RedisClient } from '../lib/redis-client.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { Env } from '../config/env.ts';
import { jiraReader } from '../connectors/jira/index.ts';
import { createJiraClient } from '../connectors/jira/outbound.ts';
import { servicenowSweep } from '../connectors/servicenow/index.ts';
import { createServicenowClient } from '../connectors/servicenow/outbound.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import type { MiStore } from '../store/mi-store.ts';
import { SweepCursorStore } from '../reconcile/cursor-store.ts';
import { runReconcile, type ReconcileDeps, type ReconcileSummary } from '../reconcile/run-reconcile.ts';
import type { EventsQueue } from '../queue/events-queue.ts';
import { acceptEvent } from '../queue/intake.ts';
import type { Keys } from '../store/keys.ts';
import {
  createReconcileQueue,
  RECONCILE_SCHEDULER_ID,
  scheduleReconcile,
  startReconcileWorker,
} from '../queue/reconcile-queue.ts';

export interface ReconcileRuntime {
  /** One run now, outside the schedule (tests, an operator). */
  run(): Promise<ReconcileSummary>;
  stop(force?: boolean): Promise<void>;
}

interface ReconcileRuntimeDeps {
  readonly env: Env;
  readonly config: ConfigStore;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  /** No offline queue: intake fails fast while Redis is away, and the run counts it. */
  readonly producer: RedisClient;
  /** Waits for Redis: the scheduler is upserted once it is back. */
  readonly blocking: RedisClient;
  readonly keys: Keys;
  readonly events: EventsQueue;
  readonly logger: Logger;
}

/** Off the request path, so a Redis round trip may take longer than the webhooks' 1 s. */
const INTAKE_TIMEOUT_MS = 5_000;

const servicenowConfigured = (env: Env) =>
  Boolean(env.SERVICENOW_URL && env.SERVICENOW_USERNAME && env.SERVICENOW_PASSWORD);
const jiraConfigured = (env: Env) => Boolean(env.JIRA_URL && env.JIRA_EMAIL && env.JIRA_API_TOKEN);

/** The connectors, store and intake a run needs, from the env and the current config. */
export function reconcileDeps(deps: ReconcileRuntimeDeps): () => ReconcileDeps {
  const { env, logger } = deps;
  const connectorDeps = { logger };
  const servicenow =
    env.SERVICENOW_URL && env.SERVICENOW_USERNAME && env.SERVICENOW_PASSWORD
      ? servicenowSweep(
          createServicenowClient(
            { baseUrl: env.SERVICENOW_URL, username: env.SERVICENOW_USERNAME, password: env.SERVICENOW_PASSWORD },
            connectorDeps,
          ),
        )
      : undefined;
  const jira =
    env.JIRA_URL && env.JIRA_EMAIL && env.JIRA_API_TOKEN
      ? jiraReader(
          createJiraClient(
            { baseUrl: env.JIRA_URL, email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN },
            connectorDeps,
          ),
        )
      : undefined;
  const cursor = new SweepCursorStore(deps.blocking, deps.keys.prefix);
  const intake = {
    queue: deps.events,
    redis: deps.producer,
    keys: deps.keys,
    dedupTtlSeconds: env.MIM_DEDUP_TTL_HOURS * 3600,
    timeoutMs: INTAKE_TIMEOUT_MS,
  };
  return () => ({
    ...(servicenow ? { servicenow } : {}),
    ...(jira ? { jira } : {}),
    store: deps.store,
    cursor,
    accept: (event) => acceptEvent(intake, event),
    intervalSeconds: deps.config.current().rules.reconcile.intervalSeconds,
    logger: logger.child({ component: 'reconcile' }),
  });
}

/**
 * The repeatable reconciliation job of a worker process: the scheduler at the configured
 * interval (upserted again when a reload changes it) and a worker that runs it. With neither
 * ServiceNow nor Jira configured there is nothing to read back, and the scheduler is removed.
 */
export function startReconcile(deps: ReconcileRuntimeDeps): ReconcileRuntime {
  const build = reconcileDeps(deps);
  const run = () => runReconcile(build());
  const queue = createReconcileQueue(deps.blocking, deps.keys.prefix);
  queue.on('error', (err) => deps.logger.debug({ err: err.message }, 'reconcile queue error'));
  if (!servicenowConfigured(deps.env) && !jiraConfigured(deps.env)) {
    queue
      .removeJobScheduler(RECONCILE_SCHEDULER_ID)
      .catch((err: unknown) => deps.logger.debug({ err }, 'reconcile scheduler not removed'));
    deps.logger.info('reconcile off: neither ServiceNow nor Jira is configured');
    return { run, stop: () => queue.close() };
  }
  const interval = () => deps.config.current().rules.reconcile.intervalSeconds;
  let scheduled: number | undefined;
  const schedule = (seconds: number) => {
    if (seconds === scheduled) return;
    scheduled = seconds;
    scheduleReconcile(queue, seconds)
      .then(() => deps.logger.info({ intervalSeconds: seconds }, 'reconcile scheduled'))
      .catch((err: unknown) => {
        scheduled = undefined;
        deps.logger.error({ err }, 'reconcile scheduler not upserted; retried at the next config change or start');
      });
  };
  schedule(interval());
  const unsubscribe = deps.config.onChange((next) => schedule(next.rules.reconcile.intervalSeconds));
  const worker = startReconcileWorker({
    connection: deps.blocking,
    prefix: deps.keys.prefix,
    run,
    lockMs: () => interval() * 1000,
    logger: deps.logger,
  });
  return {
    run,
    stop: async (force = false) => {
      unsubscribe();
      await worker.close(force);
      await queue.close();
    },
  };
}
