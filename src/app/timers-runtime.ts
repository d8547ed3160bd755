import type { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import type { MiStore } from '../store/mi-store.ts';
import { recordNewMeasures } from '../process/record-measures.ts';
import { recordScorecard } from '../process/drill-store.ts';
import { targetsFor } from '../process/targets.ts';
import { handleTimer, syncAllTimers, syncTimers, type TimersDeps } from '../process/timers-sync.ts';
import type { RulesRuntime } from '../orchestrator/rules-runtime.ts';
import { createTimersQueue, queueSchedule, startTimersWorker } from '../queue/timers-queue.ts';
import type { WorkerTiming } from '../queue/worker-timing.ts';

export interface TimersRuntime {
  readonly queue: Queue;
  /** A major incident moved or was touched: bring its timers in line (never throws). */
  changed(miId: string): void;
  /** Recompute every recent major incident's timers now (start-up does this too). */
  syncAll(): Promise<number>;
  stop(force?: boolean): Promise<void>;
}

export interface TimersRuntimeDeps {
  readonly producer: RedisClient;
  readonly blocking: RedisClient;
  readonly prefix: string;
  readonly config: ConfigStore;
  readonly rules: () => RulesRuntime;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly logger: Logger;
  readonly kick: () => void;
  readonly timing: WorkerTiming;
  /** How often every recent major incident's timers are recomputed, as a backstop to `changed` (admin moves, lost hooks). */
  readonly sweepMs?: number;
}

const SWEEP_MS = 60_000;

/**
 * The process timers in a worker process: the timers worker, the per-incident sync after every
 * change, and a recompute at start-up and every minute, so a deploy or a crash never silently
 * drops an escalation (and deterministic ids mean it never doubles one).
 */
export function startTimers(deps: TimersRuntimeDeps): TimersRuntime {
  const queue = createTimersQueue(deps.producer, deps.prefix);
  queue.on('error', (err) => deps.logger.debug({ err: err.message }, 'timers queue error'));
  const t: TimersDeps = {
    store: deps.store,
    rules: deps.rules,
    schedule: queueSchedule(queue),
    logger: deps.logger,
    kick: deps.kick,
    tierOf: (id) => deps.config.current().services.services.find((s) => s.id === id)?.tier,
    recordMeasures: (mi, timeline, tier) =>
      recordNewMeasures(deps.producer, deps.prefix, mi, timeline, new Date(), tier),
    // Scored against the tier's process targets as the config has them now (rules.yaml tiers.<n>).
    scoreDrill: (mi, timeline) =>
      recordScorecard(
        deps.producer,
        deps.prefix,
        mi,
        timeline,
        targetsFor(deps.config.current().rules, t.tierOf(mi.serviceId)),
        new Date(),
      ),
  };
  const worker: Worker = startTimersWorker({
    connection: deps.blocking,
    prefix: deps.prefix,
    handle: (job) => handleTimer(t, job),
    logger: deps.logger,
    timing: deps.timing,
  });
  const syncAll = async () => {
    const n = await syncAllTimers(t);
    deps.logger.debug({ majorIncidents: n }, 'timers recomputed');
    return n;
  };
  const sweep = () =>
    void syncAll().catch((err: unknown) =>
      deps.logger.warn({ err }, 'timers recompute failed; retrying at the next sweep'),
    );
  sweep();
  const interval = setInterval(sweep, deps.sweepMs ?? SWEEP_MS);
  interval.unref();
  return {
    queue,
    syncAll,
    changed: (miId) =>
      void syncTimers(t, miId).catch((err: unknown) =>
        deps.logger.warn({ err, majorIncidentId: miId }, 'timer sync failed; the sweep retries it'),
      ),
    stop: async (force = false) => {
      clearInterval(interval);
      await worker.close(force);
      await queue.close();
    },
  };
}
