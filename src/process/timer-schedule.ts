import { z } from 'zod';
import type { ActionJob } from '../domain/action.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { TierTimers } from './timers-plan.ts';

/**
 * One planned timer as it waits to fire. Ids are deterministic (`<mi>.<kind>.<n>.<at>`), so
 * scheduling the same plan twice, from two processes or after a restart, keeps one timer.
 */
export const TimerJob = z.object({
  majorIncidentId: z.string().regex(/^MI-[A-Za-z0-9-]+$/),
  id: z.string().min(1),
  kind: z.enum(['ack', 'mobilise', 'cadence', 'pir']),
  n: z.number().int().min(1),
});
export type TimerJob = z.infer<typeof TimerJob>;

/** What firing a timer came to; `early`: another process's clock ran ahead, so it waits until `at`. */
export type TimerHandled = string | { readonly early: number };

/**
 * The port the timers plan and fire through, so process/ knows no queue: the app implements it
 * with BullMQ delayed jobs (app/timers-runtime.ts), whose delay lives in Redis and survives restarts.
 */
export interface TimerSchedule {
  /** Fires `job` at `at` (ms since the epoch), or now if that has passed; an id already scheduled is left alone. */
  schedule(job: TimerJob, at: number): Promise<void>;
  /** Removes a timer still waiting; one firing or fired is left to finish (it re-checks the plan). */
  cancel(id: string): Promise<void>;
}

/** What the timers read from the rules in force (orchestrator/rules-runtime.ts gives it). */
export interface TimerRules {
  readonly version: string;
  tierTimers(tier: number): TierTimers;
  updateJobs(mi: MajorIncident, n: number): ActionJob[];
}
