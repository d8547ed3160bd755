import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How long a scrape waits for a value read from Redis before it keeps the last one. */
export const SCRAPE_REDIS_TIMEOUT_MS = 500;

/**
 * One registry for the process. Modules declare their metrics here, next to each other, so
 * `GET /metrics` and the docs have one place to look.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mim_process_' });

export const deliveries = new Counter({
  name: 'mim_webhook_deliveries_total',
  help:
    'Inbound webhook deliveries by source and outcome (accepted, duplicate, ignored, invalid, unauthorized, ' +
    'too_large, unsupported_media_type, unavailable).',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});

export const intakeDuration = new Histogram({
  name: 'mim_intake_duration_seconds',
  help: 'Time from request received to answer sent on /webhooks/*, by source and outcome.',
  labelNames: ['source', 'outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

export const intakeUnavailable = new Histogram({
  name: 'mim_intake_unavailable_seconds',
  help:
    'The 503s of /webhooks/* (Redis unavailable), by source and reason (not_connected, command_failed, timed_out, ' +
    'refused, replicas_short), with the time each took to answer.',
  labelNames: ['source', 'reason'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const replicaWaitSeconds = new Histogram({
  name: 'mim_intake_replica_wait_seconds',
  help:
    'With MIM_INTAKE_MIN_REPLICAS: how long a webhook waited for the replicas to confirm it (WAIT or WAITAOF), by ' +
    'outcome (confirmed, short: fewer replicas in time, answered 503).',
  labelNames: ['outcome'] as const,
  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

export const replicasShort = new Counter({
  name: 'mim_intake_replicas_short_total',
  help: 'Webhooks answered 503 because fewer replicas than MIM_INTAKE_MIN_REPLICAS confirmed them in time.',
  registers: [registry],
});

export const redisGone = new Counter({
  name: 'mim_redis_gone_total',
  help:
    "Times a waiting webhook found Redis refusing new connections while this process's connections to it were " +
    'silent, and the connections were dropped to reconnect (queue/redis-gone.ts).',
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'mim_queue_jobs',
  help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const eventsProcessed = new Counter({
  name: 'mim_events_processed_total',
  help: 'Events handled by the events worker, by source and result (applied, stale, failed).',
  labelNames: ['source', 'result'] as const,
  registers: [registry],
});

export const actionsTotal = new Counter({
  name: 'mim_actions_total',
  help: 'Actions by target and outcome (done, retried, rate_limited, channel_deferred, dead_lettered, orphaned).',
  labelNames: ['target', 'outcome'] as const,
  registers: [registry],
});

let countDeadLetters: (() => Promise<number>) | undefined;
/**
 * Read at every scrape, so replays and discards made by the CLI or another process show at once.
 * `count` must give up within SCRAPE_REDIS_TIMEOUT_MS (the caller bounds it, as it does the queue
 * depths): a scrape must neither fail nor wait for the connection's 5 s socket time-out.
 */
export function countDeadLettersWith(count: () => Promise<number>): void {
  countDeadLetters = count;
}

export const deadLettersGauge = new Gauge({
  name: 'mim_dead_letters',
  help: 'Actions in the dead-letter list, waiting for an operator to replay or discard them.',
  registers: [registry],
  async collect() {
    // With Redis down or silent the last known value stays.
    if (countDeadLetters)
      await countDeadLetters().then(
        (n) => this.set(n),
        () => undefined,
      );
  },
});

/** One sample of `mim_service_ready`: a readiness check of a service, or `all` of them. */
export interface ServiceReadySample {
  readonly service: string;
  readonly check: string;
  readonly ready: boolean;
}

let readinessSamples: (() => Promise<readonly ServiceReadySample[]>) | undefined;
/**
 * Read at every scrape, like the dead letters: the web process gives readiness from config,
 * environment and the last drills (bounded by SCRAPE_REDIS_TIMEOUT_MS), never a vendor call.
 */
export function serviceReadyWith(samples: () => Promise<readonly ServiceReadySample[]>): void {
  readinessSamples = samples;
}

export const serviceReady = new Gauge({
  name: 'mim_service_ready',
  help:
    'Readiness of each service (docs/process.md#readiness): 1 when the check passes, 0 when not; check is roles, ' +
    'audiences, escalation, runbook, drill, or all.',
  labelNames: ['service', 'check'] as const,
  registers: [registry],
  async collect() {
    if (!readinessSamples) return;
    // A failed read keeps the last values; a service removed from the catalogue leaves with the next good one.
    await readinessSamples().then(
      (samples) => {
        this.reset();
        for (const s of samples) this.set({ service: s.service, check: s.check }, s.ready ? 1 : 0);
      },
      () => undefined,
    );
  },
});

export const syncConflicts = new Counter({
  name: 'mim_sync_conflicts_total',
  help: 'Field changes that lost to the owning system or to a newer change (docs/sync.md), recorded on the timeline.',
  labelNames: ['field'] as const,
  registers: [registry],
});

export const echoesDropped = new Counter({
  name: 'mim_echoes_dropped_total',
  help:
    "Our own writes coming back, recorded but not acted on; by: account (the integration's own user) or " +
    'fingerprint (a field set to the value we wrote).',
  labelNames: ['source', 'by'] as const,
  registers: [registry],
});

export const reconcileRuns = new Counter({
  name: 'mim_reconcile_runs_total',
  help: 'Reconciliation runs by outcome (ok, partial: one vendor failed, failed, skipped: another run held the lock).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const reconcileEvents = new Counter({
  name: 'mim_reconcile_events_total',
  help: 'Records read back by reconciliation, by source and result (accepted, duplicate, invalid, failed).',
  labelNames: ['source', 'result'] as const,
  registers: [registry],
});

/** Minutes to hours: the MIM body's first 15 minutes sit mid-range, multi-day outages in the last buckets. */
const MI_SECONDS_BUCKETS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200];
const miHistogram = (name: string, help: string) =>
  new Histogram({
    name,
    help: `${help} Observed once per major incident (docs/process.md#measures).`,
    labelNames: ['service', 'tier'] as const,
    buckets: MI_SECONDS_BUCKETS,
    registers: [registry],
  });

export const miTimeToDeclare = miHistogram(
  'mim_mi_time_to_declare_seconds',
  "Detection (the origin record's time) to declaration.",
);
export const miTimeToMobilise = miHistogram('mim_mi_time_to_mobilise_seconds', 'Declaration to the page acknowledged.');
export const miTimeToFirstCommunication = miHistogram(
  'mim_mi_time_to_first_communication_seconds',
  'Declaration to the first message to an audience.',
);
export const miTimeToResolve = miHistogram(
  'mim_mi_time_to_resolve_seconds',
  'Detection to resolution, declared major incidents only.',
);

export const miCadenceAdherence = new Histogram({
  name: 'mim_mi_cadence_adherence_ratio',
  help:
    'Share of comms-cadence deadlines met (0..1), observed once per major incident when it resolves ' +
    '(docs/process.md#measures).',
  labelNames: ['service', 'tier'] as const,
  buckets: [0.25, 0.5, 0.75, 0.9, 0.99, 1],
  registers: [registry],
});

export const timersFired = new Counter({
  name: 'mim_timers_fired_total',
  help:
    'Process timers that came due: fired (acted), or stale (no longer planned: acknowledged, resolved, already ' +
    'done).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const escalationsTotal = new Counter({
  name: 'mim_escalations_total',
  help:
    'Escalations to the Major Incident Manager: ack (page not acknowledged in time), mobilise (checklist unmet at ' +
    "the tier's mobilise target, 15 minutes by default).",
  labelNames: ['kind', 'service'] as const,
  registers: [registry],
});

export const updatesOverdue = new Counter({
  name: 'mim_updates_overdue_total',
  help: 'Comms cadence intervals that ended with no update sent to the audiences.',
  labelNames: ['service'] as const,
  registers: [registry],
});

export const unhandledRejections = new Counter({
  name: 'mim_unhandled_rejections_total',
  help:
    'Promises rejected with no handler (a bug: each is logged at error with its error); the process keeps serving. ' +
    'Alert on any.',
  registers: [registry],
});
