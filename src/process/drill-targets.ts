import { MOBILISE_AFTER_MS, type TierTimers } from './timers-plan.ts';

const DAY_MS = 24 * 3600_000;

/** The process targets a drill is scored against, in milliseconds. */
export interface DrillTargets {
  /** The page acknowledged within this after declaration. */
  readonly ackMs: number;
  /** The mobilisation checklist complete within this after declaration. */
  readonly mobiliseMs: number;
  /** The first message to an audience within this after declaration. */
  readonly firstCommsMs: number;
  /** At most this between two communications (the update cadence). */
  readonly cadenceMs: number;
  /** The post-incident review due this long after resolution. */
  readonly pirDueMs: number;
}

/**
 * The targets as today's tier config gives them: the tier's `ackTimeout`, the fixed fifteen
 * minutes of mobilisation (MOBILISE_AFTER_MS), within which the declaration's first message is
 * due too, the tier's `cadence` and `pirDueDays`. To be replaced by `targetsFor(rules, tier)` of
 * process/targets.ts (per-tier targets in rules.yaml, issue #22) when that lands. Pure.
 */
export function drillTargets(tier: TierTimers): DrillTargets {
  return {
    ackMs: tier.ackTimeoutMs,
    mobiliseMs: MOBILISE_AFTER_MS,
    firstCommsMs: MOBILISE_AFTER_MS,
    cadenceMs: tier.cadenceMs,
    pirDueMs: tier.pirDueDays * DAY_MS,
  };
}
