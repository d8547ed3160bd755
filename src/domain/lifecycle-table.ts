import { z } from 'zod';
import { MI_STATES, type MiState } from './major-incident.ts';
import type { TriggerKey } from './lifecycle-trigger.ts';

/** `none`: no major incident yet, where every one starts. */
export const LIFECYCLE_STATES = ['none', ...MI_STATES] as const;
export const LifecycleState = z.enum(LIFECYCLE_STATES);
export type LifecycleState = z.infer<typeof LifecycleState>;

/** A target state, `same` (a harmless repeat: no change, not an error), or absent (refused). */
export type MoveTarget = MiState | 'same';
export type Row = Partial<Record<TriggerKey, MoveTarget>>;

/** Rules keep matching a record's updates; after a decision that is not a change. */
const RULES_REPEAT = { 'rule.propose': 'same', 'rule.declare': 'same' } as const satisfies Row;

/**
 * The whole lifecycle. `satisfies` makes a state without a row a compile error, and a cell
 * left out is a refusal, so every (state, trigger) pair has exactly one meaning. The order
 * of the cells is the order of the labels in the generated diagram.
 *
 * - Closing straight from `declared` resolves and closes in one move (effects resolve, close):
 *   a source desk that closes without resolving still owes everyone the resolution notice.
 * - `resolved` ignores rules: whether a new match re-opens it or starts a new major incident
 *   is the re-open policy's call (`reopenDecision`), which then sends `source.reopened`.
 * - `closed`, `rejected` and `canceled` are terminal: echoes of what is already true are
 *   no-ops, a change is refused. The exceptions: a person in ServiceNow re-proposing or
 *   accepting a rejected candidate, or declaring it from the admin API, is honoured.
 */
export const LIFECYCLE = {
  none: {
    'rule.propose': 'candidate',
    'rule.declare': 'declared',
    'source.major_proposed': 'candidate',
    'source.major_accepted': 'declared',
    'manual.declare': 'declared',
  },
  candidate: {
    'rule.propose': 'same',
    'rule.declare': 'declared',
    'source.major_proposed': 'same',
    'source.major_accepted': 'declared',
    'source.major_rejected': 'rejected',
    'source.major_canceled': 'canceled',
    // The incident ended before anyone accepted it: it was not a major incident after all.
    'source.resolved': 'canceled',
    'source.closed': 'canceled',
    'source.canceled': 'canceled',
    'source.reopened': 'same',
    'manual.declare': 'declared',
    'manual.cancel': 'canceled',
  },
  declared: {
    ...RULES_REPEAT,
    // ServiceNow has no way back from accepted to proposed; a stale "proposed" is not a demotion.
    'source.major_proposed': 'same',
    'source.major_accepted': 'same',
    'source.major_canceled': 'canceled',
    'source.resolved': 'resolved',
    'source.closed': 'closed',
    'source.canceled': 'canceled',
    'source.reopened': 'same',
    'manual.declare': 'same',
    'manual.resolve': 'resolved',
    'manual.cancel': 'canceled',
    'manual.close': 'closed',
  },
  resolved: {
    'source.major_accepted': 'same',
    'source.resolved': 'same',
    'source.closed': 'closed',
    'source.reopened': 'declared',
    'manual.declare': 'declared',
    'manual.resolve': 'same',
    'manual.close': 'closed',
    'pir.completed': 'closed',
  },
  closed: {
    'source.major_accepted': 'same',
    'source.resolved': 'same',
    'source.closed': 'same',
    'manual.close': 'same',
    'pir.completed': 'same',
  },
  // A rejected candidate stays rejected while the rules keep matching its updates: no ping-pong
  // with the Major Incident Manager. Only a person re-proposes or accepts it.
  rejected: {
    ...RULES_REPEAT,
    'source.major_rejected': 'same',
    'source.major_proposed': 'candidate',
    'source.major_accepted': 'declared',
    'source.resolved': 'same',
    'source.closed': 'same',
    'source.reopened': 'same',
    'source.canceled': 'same',
    'manual.declare': 'declared',
  },
  canceled: {
    ...RULES_REPEAT,
    'source.major_canceled': 'same',
    'source.canceled': 'same',
    'source.resolved': 'same',
    'source.closed': 'same',
    'source.reopened': 'same',
    'manual.cancel': 'same',
  },
} as const satisfies Record<LifecycleState, Row>;
