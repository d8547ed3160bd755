import { z } from 'zod';
import type { MiState } from './major-incident.ts';
import { LIFECYCLE, LifecycleState, type Row } from './lifecycle-table.ts';
import { TriggerKey, triggerKey, type LifecycleTrigger } from './lifecycle-trigger.ts';

/**
 * The major-incident lifecycle as a pure state machine: `transition` looks the move up in
 * `LIFECYCLE` (lifecycle-table.ts) and names its effects. Anything the table does not allow
 * is returned as a refusal for the timeline, never thrown.
 */
export { LIFECYCLE, LIFECYCLE_STATES, LifecycleState, type Row, type MoveTarget } from './lifecycle-table.ts';
export {
  LifecycleTrigger,
  ManualTrigger,
  MajorStateTrigger,
  PirTrigger,
  RuleTrigger,
  SourceRecordTrigger,
  TRIGGER_KEYS,
  TriggerKey,
  triggerKey,
  type LifecycleTriggerType,
  type TriggerType,
} from './lifecycle-trigger.ts';
export { lifecycleMermaid } from './lifecycle-mermaid.ts';

/** What the playbook boundary acts on; the action planner maps each to a playbook. */
export const LIFECYCLE_EFFECTS = ['propose', 'declare', 'reopen', 'resolve', 'close', 'reject', 'cancel'] as const;
export const LifecycleEffect = z.enum(LIFECYCLE_EFFECTS);
export type LifecycleEffect = z.infer<typeof LifecycleEffect>;

/** Effects follow the move, not the trigger: reaching a state means the same thing however it happened. */
const EFFECTS_ON_ENTRY = {
  candidate: ['propose'],
  declared: ['declare'],
  resolved: ['resolve'],
  closed: ['close'],
  rejected: ['reject'],
  canceled: ['cancel'],
} as const satisfies Record<MiState, readonly LifecycleEffect[]>;

/** Moves that mean more than their target: back from resolved is a re-open; declared→closed skips a resolve. */
const EFFECTS_ON_MOVE: Partial<Record<`${LifecycleState}>${MiState}`, readonly LifecycleEffect[]>> = {
  'resolved>declared': ['reopen'],
  'declared>closed': ['resolve', 'close'],
};

export function effectsOf(from: LifecycleState, to: MiState): LifecycleEffect[] {
  return [...(EFFECTS_ON_MOVE[`${from}>${to}`] ?? EFFECTS_ON_ENTRY[to])];
}

export const TransitionResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    from: LifecycleState,
    to: LifecycleState,
    changed: z.boolean(),
    effects: z.array(LifecycleEffect),
  }),
  z.object({
    ok: z.literal(false),
    from: LifecycleState,
    trigger: TriggerKey,
    reason: z.string(),
    code: z.literal('ILLEGAL_TRANSITION'),
  }),
]);
export type TransitionResult = z.infer<typeof TransitionResult>;

/** A trigger object, or just its table column (`'rule.declare'`, `'source.major_accepted'`). */
export function transition(from: LifecycleState, trigger: LifecycleTrigger | TriggerKey): TransitionResult {
  const key = triggerKey(trigger);
  const row: Row = LIFECYCLE[from];
  const target = row[key];
  if (target === undefined) {
    return {
      ok: false,
      from,
      trigger: key,
      reason: `${key} is not allowed when the major incident is ${from}`,
      code: 'ILLEGAL_TRANSITION',
    };
  }
  if (target === 'same') return { ok: true, from, to: from, changed: false, effects: [] };
  return { ok: true, from, to: target, changed: true, effects: effectsOf(from, target) };
}

const MINUTE_MS = 60_000;

/**
 * Re-open policy: a matching incident up to `withinMinutes` after the resolution (inclusive)
 * re-opens the major incident, as it was not really over; later, it starts a new one linked
 * to the old. An invalid date or window never re-opens: a new linked incident loses nothing.
 */
export function reopenDecision(resolvedAt: Date, now: Date, withinMinutes: number): 'reopen' | 'new-linked' {
  const elapsed = now.getTime() - resolvedAt.getTime();
  return elapsed <= withinMinutes * MINUTE_MS ? 'reopen' : 'new-linked';
}
