import type { Worker } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { Env } from '../config/env.ts';
import { createProbeApp } from '../http/probe-app.ts';
import { listen, type Listenable } from '../http/server-timeouts.ts';
import type { Logger } from '../observability/logger.ts';
import { startActions, type ActionsRuntime } from './actions-runtime.ts';
import { startTimers, type TimersRuntime } from './timers-runtime.ts';
import { startWeb } from './web-runtime.ts';
import { ConfigStore } from '../config/config-store.ts';
import { ConfigError } from '../config/files/config-error.ts';
import { startConfigSync } from '../config/versions/config-sync.ts';
import { ConfigVersions } from '../config/versions/config-versions.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { EventLog } from '../store/event-log.ts';
import { FingerprintStore } from '../store/fingerprint-store.ts';
import { handleEvent } from '../orchestrator/handle-event.ts';
import { ruleErrorReporter } from '../rules/run-error-log.ts';
import { MiStore } from '../store/mi-store.ts';
import { rulesRuntime } from '../orchestrator/rules-adapter.ts';
import type { RulesRuntime } from '../orchestrator/rules-runtime.ts';
import { SnapshotStore } from '../store/snapshot-store.ts';
import { WindowStore } from '../store/window-store.ts';
import type { SandboxOptions } from '../http/admin/sandbox/sandbox.ts';
import { startReconcile, type ReconcileRuntime } from './reconcile-runtime.ts';
import { createEventsQueue, type EventsQueue } from '../queue/events-queue.ts';
import { startEventsWorker, type EventHandler } from '../queue/events-worker.ts';
import { workerTiming } from '../queue/worker-timing.ts';
import { keys as makeKeys, type Keys } from '../store/keys.ts';
import { createRedis } from '../queue/redis.ts';
import { redisTopology } from '../config/env-redis.ts';
import { replicaWait } from '../queue/replica-wait.ts';
import { checkRedisPolicy } from './redis-checks.ts';
import { StartupError } from './startup-error.ts';

export { StartupError } from './startup-error.ts';
import { withTimeout } from '../lib/with-timeout.ts';

export interface ServiceOptions {
  readonly env: Env;
  readonly logger: Logger;
  /** How often a canary goes through the events queue for /readyz (tests shorten it). */
  readonly canaryIntervalMs?: number;
  /** How long start-up waits for Redis before starting anyway (answering 503 until it comes). */
  readonly redisWaitMs?: number;
  /** Where secrets that config names by env var (routing keys, webhook URLs) are read; defaults to process.env. */
  readonly secrets?: Readonly<Record<string, string | undefined>>;
  /** How often every recent major incident's timers are recomputed (tests shorten it). */
  readonly timersSweepMs?: number;
  /**
   * Shorter retention windows than production's (dedup 72 h, event log 7 d, snapshots 90 d,
   * 10,000 completed events), so a soak reaches its steady state within minutes and any growth
   * left is a leak. Not an env var: an operator shortening dedup below 72 h would answer real
   * redeliveries `accepted` twice.
   */
  readonly retention?: Retention;
  /** The rules sandbox's deadline, queue and threads (tests shorten the deadline). */
  readonly sandbox?: Omit<SandboxOptions, 'logger'>;
}

export interface Retention {
  readonly dedupSeconds?: number;
  readonly eventLogMs?: number;
  readonly snapshotSeconds?: number;
  readonly completedEvents?: number;
}

export interface RunningService {
  readonly url: string | undefined;
  readonly keys: Keys;
  readonly redis: RedisClient;
  readonly queue: EventsQueue;
  readonly snapshots: SnapshotStore;
  readonly config: ConfigStore;
  readonly majorIncidents: MiStore<MajorIncident, TimelineEntry>;
  readonly actions: ActionsRuntime;
  /** The process timers, in a worker process. */
  readonly timers?: TimersRuntime;
  stop(): Promise<void>;
}

const STOP_STEP_TIMEOUT_MS = 10_000;

export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const { env, logger } = opts;
  let config: ConfigStore;
  try {
    config = await ConfigStore.open(env.MIM_CONFIG_DIR, logger);
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(`${err.message}\n(MIM_CONFIG_DIR=${env.MIM_CONFIG_DIR})`);
    throw err;
  }
  const keys = makeKeys(env.MIM_REDIS_PREFIX);
  const topology = redisTopology(env);
  const producer = createRedis(topology, 'producer');
  const blocking = createRedis(topology, 'worker');
  // Only a process that takes webhooks waits for replicas (web-runtime.ts); detected here, with the other checks.
  const replicas =
    env.MIM_INTAKE_MIN_REPLICAS > 0 && env.MIM_ROLE !== 'worker'
      ? replicaWait({
          minReplicas: env.MIM_INTAKE_MIN_REPLICAS,
          timeoutMs: env.MIM_INTAKE_REPLICA_TIMEOUT_MS,
          ack: env.MIM_INTAKE_REPLICA_ACK,
          prefix: keys.prefix,
          logger,
        })
      : undefined;
  const quiet = (name: string) => (err: Error) =>
    logger.debug({ err: err.message, connection: name }, 'redis connection error');
  producer.on('error', quiet('producer'));
  blocking.on('error', quiet('worker'));

  try {
    await checkRedisPolicy(producer, logger, opts.redisWaitMs ?? 5_000, replicas);
  } catch (err) {
    producer.disconnect();
    blocking.disconnect();
    throw err;
  }

  const queue = createEventsQueue(producer, keys.prefix, opts.retention?.completedEvents);
  queue.on('error', quiet('events-queue'));
  const snapshots = new SnapshotStore(blocking, keys, opts.retention?.snapshotSeconds);
  const dedupTtlSeconds = opts.retention?.dedupSeconds ?? env.MIM_DEDUP_TTL_HOURS * 3600;
  const majorIncidents = new MiStore<MajorIncident, TimelineEntry>(blocking, keys.prefix);
  const role = env.MIM_ROLE;
  const stops: Array<() => Promise<void> | void> = [config.watch()];
  // Every process runs the version in Redis's config:active; the files win at start-up (docs/rules.md#config-versions-through-the-api).
  config.versions = new ConfigVersions(producer, keys.prefix);
  stops.push(await startConfigSync({ config, versions: config.versions, redis: producer, logger }));
  let runtime: RulesRuntime = rulesRuntime(config.current());
  config.onChange((next) => {
    runtime = rulesRuntime(next);
  });

  const actions = startActions({
    env,
    secrets: opts.secrets ?? process.env,
    config,
    store: majorIncidents,
    producer,
    blocking,
    prefix: keys.prefix,
    logger,
    runWorkers: role === 'worker' || role === 'all',
  });

  let worker: Worker | undefined;
  let reconcile: ReconcileRuntime | undefined;
  let timers: TimersRuntime | undefined;
  if (role === 'worker' || role === 'all') {
    const orchestrator = {
      snapshots,
      store: majorIncidents,
      logger,
      rules: () => runtime,
      windows: new WindowStore(blocking, keys.prefix),
      eventLog: new EventLog(blocking, keys.prefix, opts.retention?.eventLogMs),
      ownAccounts: {
        ...(env.SERVICENOW_USERNAME ? { servicenow: env.SERVICENOW_USERNAME } : {}),
        ...(env.JIRA_ACCOUNT_ID ? { jira: env.JIRA_ACCOUNT_ID } : {}),
      },
      fingerprints: new FingerprintStore(blocking, keys.prefix),
      changed: (miId: string) => timers?.changed(miId),
      ruleErrors: ruleErrorReporter({ redis: blocking, prefix: keys.prefix, logger }),
    };
    timers = startTimers({
      producer,
      blocking,
      prefix: keys.prefix,
      config,
      rules: () => runtime,
      store: majorIncidents,
      logger,
      kick: () => void actions.kick(),
      timing: workerTiming(env),
      ...(opts.timersSweepMs ? { sweepMs: opts.timersSweepMs } : {}),
    });
    const handle: EventHandler = async (event) => {
      const outcome = await handleEvent(orchestrator, event);
      // Move the actions this event caused to their queues now, not at the relay's next tick.
      if (outcome !== 'nothing' && outcome !== 'stale') void actions.kick();
      return outcome;
    };
    worker = startEventsWorker({
      connection: blocking,
      store: blocking,
      keys,
      concurrency: env.MIM_EVENTS_CONCURRENCY,
      handle,
      logger,
      timing: workerTiming(env),
    });
    reconcile = startReconcile({ env, config, store: majorIncidents, producer, blocking, keys, events: queue, logger });
  }

  // What the process serves over HTTP: the whole app in a web process, probes and metrics in a worker.
  let served: { app: Listenable; listening: string };
  const connections = [producer, blocking];
  if (role === 'web' || role === 'all') {
    const web = await startWeb({
      env,
      logger,
      opts,
      producer,
      keys,
      queue,
      actions,
      timers,
      config,
      majorIncidents,
      rules: () => runtime,
      dedupTtlSeconds,
      quiet,
      topology,
      replicas,
    });
    stops.push(...web.stops);
    connections.push(...web.connections);
    served = { app: web.app, listening: 'mim-bridge listening' };
  } else {
    // A worker serves its probes and metrics, so every process can be scraped and health-checked.
    const probes = createProbeApp({
      readiness: { redis: producer, keys, maxConsumptionAgeMs: 20_000 },
      queues: [queue, ...actions.queues.values()],
    });
    served = { app: probes, listening: 'mim-bridge worker serving /healthz, /readyz and /metrics' };
  }
  const listener = await listen(served.app, env.HOST, env.PORT, env.MIM_HTTP_KEEPALIVE_TIMEOUT_MS).catch(
    (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'the address is in use: another process listens there (set PORT or HOST)'
          : err.code === 'EACCES'
            ? 'permission denied (a port below 1024 needs privileges)'
            : err.message;
      throw new StartupError(`cannot listen on ${env.HOST}:${env.PORT}: ${why}`);
    },
  );
  const { url } = listener;
  // The URL carries the port actually bound, the only way to learn it with PORT=0 (tests and
  // supervisors read it from this line): so it is logged at any LOG_LEVEL short of `silent`.
  const announce =
    logger.isLevelEnabled('info') || logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
  announce.info({ url, role }, served.listening);

  const stop = async () => {
    for (const s of stops) await s();
    // Stop taking requests, let in-flight ones finish, then drain the worker, then close Redis.
    await listener.close(STOP_STEP_TIMEOUT_MS);
    // With Redis gone, BullMQ's graceful close would wait for a reconnect that may never come.
    const connected = producer.status === 'ready';
    const bounded = (p: Promise<unknown>) =>
      withTimeout(p, STOP_STEP_TIMEOUT_MS, () => new Error('timed out')).catch((err: unknown) => {
        logger.warn({ err }, 'a shutdown step did not finish in time; forcing it');
      });
    if (worker) await bounded(worker.close(!connected));
    if (reconcile) await bounded(reconcile.stop(!connected));
    if (timers) await bounded(timers.stop(!connected));
    await bounded(actions.stop());
    await bounded(queue.close());
    if (connected) await bounded(Promise.allSettled(connections.map((c) => c.quit())));
    for (const c of connections) c.disconnect();
  };
  return {
    url,
    keys,
    redis: producer,
    queue,
    snapshots,
    config,
    majorIncidents,
    actions,
    ...(timers ? { timers } : {}),
    stop,
  };
}
