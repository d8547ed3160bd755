import type { RulesFile } from '../config/files/schema-rules.ts';
import { durationMs } from '../lib/duration.ts';

/**
 * The organisation's process targets for a tier (rules.yaml `tiers.<n>`, docs/process.md#targets), in
 * milliseconds. Timers plan from them, readiness shows them and drills score against them, so all three
 * read one answer. Pure.
 */
export interface ProcessTargets {
  /** Declaration to the page acknowledged (`ackTimeout`): later, the escalation pages. */
  readonly ackMs: number;
  /** Declaration to the mobilisation checklist being met (`mobilise`): then it is checked. */
  readonly mobiliseMs: number;
  /** Declaration to the first message to the audiences (`firstComms`). */
  readonly firstCommsMs: number;
  /** Between two updates to the audiences (`cadence`). */
  readonly cadenceMs: number;
  /** Resolution to the post-incident review (`pirDue`, or the deprecated `pirDueDays`). */
  readonly pirDueMs: number;
}

export type TierKey = keyof RulesFile['tiers'];

/** A tier outside the table (or a service no longer in the catalogue) gets tier 3's targets. */
export function tierSettings(rules: Pick<RulesFile, 'tiers'>, tier: number | undefined): RulesFile['tiers'][TierKey] {
  const key = String(tier);
  return key === '1' || key === '2' || key === '3' ? rules.tiers[key] : rules.tiers['3'];
}

export function targetsFor(rules: Pick<RulesFile, 'tiers'>, tier: number | undefined): ProcessTargets {
  const t = tierSettings(rules, tier);
  return {
    ackMs: durationMs(t.ackTimeout),
    mobiliseMs: durationMs(t.mobilise),
    firstCommsMs: durationMs(t.firstComms),
    cadenceMs: durationMs(t.cadence),
    pirDueMs: durationMs(t.pirDue),
  };
}
