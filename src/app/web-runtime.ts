import type { RedisClient } from '../lib/redis-client.ts';
import { webhookSecrets, type Env } from '../config/env.ts';
import type { ConfigStore } from '../config/config-store.ts';
import { routeSecret } from '../config/route-env.ts';
import { inboundSources } from '../connectors/inbound-sources.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { adminTokens } from '../http/admin/auth.ts';
import { connectionChecker } from '../http/admin/connections-routes.ts';
import { readinessSource } from '../http/admin/readiness-routes.ts';
import { adminRouter } from '../http/admin/index.ts';
import { RulesSandbox } from '../http/admin/sandbox/sandbox.ts';
import { SessionStore } from '../http/admin/session-routes.ts';
import { createApp } from '../http/app.ts';
import type { Listenable } from '../http/server-timeouts.ts';
import type { Logger } from '../observability/logger.ts';
import { SCRAPE_REDIS_TIMEOUT_MS, serviceReadyWith } from '../observability/metrics.ts';
import type { RulesRuntime } from '../orchestrator/rules-runtime.ts';
import { startCanary } from '../queue/canary.ts';
import type { EventsQueue } from '../queue/events-queue.ts';
import { acceptEvent } from '../queue/intake.ts';
import { createReconcileQueue } from '../queue/reconcile-queue.ts';
import { goneWatch } from '../queue/redis-gone.ts';
import { createRedis, waitReady } from '../queue/redis.ts';
import type { ReplicaWait } from '../queue/replica-wait.ts';
import type { RedisTopology } from '../config/env-redis.ts';
import { createTimersQueue } from '../queue/timers-queue.ts';
import { EventLog } from '../store/event-log.ts';
import { lastDrillReader } from '../store/last-drill.ts';
import { readinessSamples } from '../process/readiness.ts';
import type { Keys } from '../store/keys.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { ActionsRuntime } from './actions-runtime.ts';
import type { ServiceOptions } from './service.ts';
import type { TimersRuntime } from './timers-runtime.ts';

export interface WebDeps {
  readonly env: Env;
  readonly logger: Logger;
  readonly opts: Pick<ServiceOptions, 'redisWaitMs' | 'canaryIntervalMs' | 'sandbox' | 'secrets'>;
  readonly producer: RedisClient;
  readonly keys: Keys;
  readonly queue: EventsQueue;
  readonly actions: ActionsRuntime;
  readonly timers: TimersRuntime | undefined;
  readonly config: ConfigStore;
  readonly majorIncidents: MiStore<MajorIncident, TimelineEntry>;
  readonly rules: () => RulesRuntime;
  readonly dedupTtlSeconds: number;
  readonly quiet: (name: string) => (err: Error) => void;
  /** How to reach Redis (a single node, Sentinel or Cluster), for the intake's own connection. */
  readonly topology: RedisTopology;
  /** With MIM_INTAKE_MIN_REPLICAS, the wait for replicas before a webhook's 202 (queue/replica-wait.ts). */
  readonly replicas: ReplicaWait | undefined;
}

export interface Web {
  readonly app: Listenable;
  /** What stops it, in order: the canary, the board's own queues, the rules sandbox. */
  readonly stops: ReadonlyArray<() => Promise<void> | void>;
  /** Its own Redis connection (the intake's duplicate records), closed with the others. */
  readonly connections: readonly RedisClient[];
}

/**
 * The web side of a `web` or `all` process: the intake's own Redis connection, the canary, the
 * admin API with its board and rules sandbox, and the express app that serves them and the webhooks.
 */
export async function startWeb(deps: WebDeps): Promise<Web> {
  const { env, logger, opts, producer, keys, queue, actions, timers, config, majorIncidents, quiet } = deps;
  const { dedupTtlSeconds } = deps;
  const stops: Array<() => Promise<void> | void> = [];
  // The intake's duplicate records on a connection of their own, auto-pipelined (queue/redis.ts).
  const intakeDedup = createRedis(deps.topology, 'dedup');
  intakeDedup.on('error', quiet('dedup'));
  // Only the intake's own connections: the worker one (maxRetriesPerRequest null) would re-send what it had sent.
  const gone = goneWatch({ probed: intakeDedup, connections: [producer, intakeDedup], logger });
  // Ready before the listener opens, as the producer is (checkRedisPolicy); not a second wait when Redis was unreachable (already warned about).
  if (producer.status === 'ready') await waitReady(intakeDedup, opts.redisWaitMs ?? 5_000);
  const canaryMs = opts.canaryIntervalMs ?? 5_000;
  stops.push(startCanary(queue, canaryMs, logger));
  // Bull Board's own handles on the queues a web-only process does not run (timers, reconcile): reading and repairing only.
  const boardOnly = [
    ...(timers ? [] : [createTimersQueue(producer, keys.prefix)]),
    createReconcileQueue(producer, keys.prefix),
  ];
  for (const q of boardOnly) q.on('error', quiet(`board-${q.name}`));
  stops.push(() => Promise.allSettled(boardOnly.map((q) => q.close())).then(() => undefined));
  const sandbox = new RulesSandbox({ logger, ...opts.sandbox });
  stops.push(() => sandbox.close());
  const secret = (name: string) => routeSecret(opts.secrets ?? process.env, name);
  const connections = connectionChecker({ env, routeSecret: secret, config: () => config.current() });
  const readiness = readinessSource({
    config: () => config.current(),
    env,
    routeSecret: secret,
    connections,
    lastDrillAt: lastDrillReader(producer, keys.prefix),
  });
  // The metric never calls a vendor: the last connection results, config, environment and the last drills.
  serviceReadyWith(async () => readinessSamples(await readiness.quick(SCRAPE_REDIS_TIMEOUT_MS)));
  const admin = adminRouter({
    sandbox,
    sessions: new SessionStore(producer, keys.prefix),
    insecureCookie: env.MIM_ADMIN_COOKIE_INSECURE,
    boardQueues: [queue, ...actions.queues.values(), ...(timers ? [timers.queue] : []), ...boardOnly],
    tokens: adminTokens(env.MIM_ADMIN_TOKEN, env.MIM_ADMIN_TOKENS),
    rateLimitPerMinute: env.MIM_ADMIN_RATE_LIMIT,
    config,
    eventLog: new EventLog(producer, keys.prefix),
    vendorBases: {
      ...(env.SERVICENOW_URL ? { servicenow: env.SERVICENOW_URL } : {}),
      ...(env.JIRA_URL ? { jira: env.JIRA_URL } : {}),
      ...(env.PAGERDUTY_WEB_URL ? { pagerduty: env.PAGERDUTY_WEB_URL } : {}),
    },
    store: majorIncidents,
    rules: deps.rules,
    deadLetters: actions.deadLetters,
    actionQueues: actions.queues,
    kick: () => actions.kick(),
    ...(timers ? { changed: (id: string) => timers.changed(id) } : {}),
    logger,
    connections,
    readiness,
  });
  const app = createApp({
    logger,
    extraRouters: [admin],
    status: { store: majorIncidents, services: () => config.current().services.services },
    queues: [queue, ...actions.queues.values()],
    readiness: {
      redis: producer,
      intakeRedis: intakeDedup,
      ...(deps.replicas ? { replicas: deps.replicas } : {}),
      keys,
      maxConsumptionAgeMs: Math.max(4 * canaryMs, 15_000),
    },
    webhooks: {
      logger,
      sources: inboundSources,
      secrets: webhookSecrets(env),
      accept: (event) =>
        acceptEvent(
          {
            queue,
            redis: intakeDedup,
            keys,
            dedupTtlSeconds,
            timeoutMs: env.MIM_INTAKE_REDIS_TIMEOUT_MS,
            gone,
            ...(deps.replicas ? { replicas: deps.replicas } : {}),
          },
          event,
        ),
    },
  });
  return { app, stops, connections: [intakeDedup] };
}
