import type { MiState } from './major-incident.ts';

/**
 * The major-incident lifecycle as a pure state machine. The table below is the whole of it:
 * `satisfies` makes a state or trigger without a row a compile error, and anything the table
 * does not allow is refused with a reason, never thrown.
 */
export const TRIGGERS = [
  'rule.propose', 'rule.declare',
  // ServiceNow major_incident_state changes made by a Major Incident Manager.
  'source.major_proposed', 'source.major_accepted', 'source.major_rejected', 'source.major_canceled',
  // The source incident itself (ServiceNow or Jira).
  'source.resolved', 'source.closed', 'source.canceled', 'source.reopened',
  'manual.declare', 'manual.resolve', 'manual.cancel', 'manual.close',
  'pir.completed',
] as const;
export type TriggerType = (typeof TRIGGERS)[number];
export type LifecycleState = MiState | 'none';

/** A target state, `same` (a harmless repeat: no change, not an error), or absent (refused). */
type Target = MiState | 'same';
type Row = Partial<Record<TriggerType, Target>>;

const RULES_REPEAT: Row = { 'rule.propose': 'same', 'rule.declare': 'same' };

export const LIFECYCLE = {
  none: {
    'rule.propose': 'candidate', 'rule.declare': 'declared',
    'source.major_proposed': 'candidate', 'source.major_accepted': 'declared', 'manual.declare': 'declared',
  },
  candidate: {
    'rule.propose': 'same', 'rule.declare': 'declared',
    'source.major_proposed': 'same', 'source.major_accepted': 'declared', 'source.major_rejected': 'rejected',
    'source.major_canceled': 'canceled',
    // The incident ended before anyone accepted it: it was not a major incident after all.
    'source.resolved': 'canceled', 'source.closed': 'canceled', 'source.canceled': 'canceled', 'source.reopened': 'same',
    'manual.declare': 'declared', 'manual.cancel': 'canceled',
  },
  declared: {
    ...RULES_REPEAT,
    'source.major_proposed': 'same', 'source.major_accepted': 'same', 'source.major_canceled': 'canceled',
    'source.resolved': 'resolved', 'source.closed': 'closed', 'source.canceled': 'canceled', 'source.reopened': 'same',
    'manual.declare': 'same', 'manual.resolve': 'resolved', 'manual.cancel': 'canceled', 'manual.close': 'closed',
  },
  resolved: {
    'source.major_accepted': 'same', 'source.resolved': 'same', 'source.closed': 'closed', 'source.reopened': 'declared',
    'manual.declare': 'declared', 'manual.resolve': 'same', 'manual.close': 'closed', 'pir.completed': 'closed',
  },
  closed: { 'source.resolved': 'same', 'source.closed': 'same', 'manual.close': 'same', 'pir.completed': 'same' },
  // A rejected candidate stays rejected while the rules keep matching its updates: no ping-pong
  // with the Major Incident Manager. Only a person re-proposes or accepts it.
  rejected: {
    ...RULES_REPEAT,
    'source.major_rejected': 'same', 'source.major_proposed': 'candidate', 'source.major_accepted': 'declared',
    'source.resolved': 'same', 'source.closed': 'same', 'manual.declare': 'declared',
  },
  canceled: {
    ...RULES_REPEAT,
    'source.major_canceled': 'same', 'source.canceled': 'same', 'source.resolved': 'same', 'source.closed': 'same',
    'manual.cancel': 'same',
  },
} as const satisfies Record<LifecycleState, Row>;

/** What the playbook boundary acts on; derived from the move, not from the trigger. */
export type LifecycleEffect = 'propose' | 'declare' | 'reopen' | 'resolve' | 'close' | 'reject' | 'cancel';

export type TransitionResult =
  | { readonly ok: true; readonly from: LifecycleState; readonly to: LifecycleState; readonly changed: boolean; readonly effects: readonly LifecycleEffect[] }
  | { readonly ok: false; readonly from: LifecycleState; readonly trigger: TriggerType; readonly code: 'ILLEGAL_TRANSITION'; readonly reason: string };

export function effectsOf(from: LifecycleState, to: MiState): LifecycleEffect[] {
  switch (to) {
    case 'candidate': return ['propose'];
    case 'declared': return [from === 'resolved' ? 'reopen' : 'declare'];
    case 'resolved': return ['resolve'];
    // Closing straight from declared still owes everyone the "resolved" step.
    case 'closed': return from === 'declared' ? ['resolve', 'close'] : ['close'];
    case 'rejected': return ['reject'];
    case 'canceled': return ['cancel'];
  }
}

export function transition(from: LifecycleState, trigger: TriggerType): TransitionResult {
  const row: Row = LIFECYCLE[from];
  const target = row[trigger];
  if (target === undefined) {
    return { ok: false, from, trigger, code: 'ILLEGAL_TRANSITION', reason: `${trigger} is not allowed when the major incident is ${from}` };
  }
  if (target === 'same') return { ok: true, from, to: from, changed: false, effects: [] };
  return { ok: true, from, to: target, changed: true, effects: effectsOf(from, target) };
}

/**
 * Re-open policy: an incident matching within `withinMinutes` of the resolution re-opens the
 * major incident (it was not really over); later, it starts a new one linked to the old.
 */
export function reopenDecision(resolvedAt: Date, now: Date, withinMinutes: number): 'reopen' | 'new-linked' {
  return now.getTime() - resolvedAt.getTime() <= withinMinutes * 60_000 ? 'reopen' : 'new-linked';
}

/** The table as a Mermaid state diagram, for docs that cannot drift from the code. */
export function lifecycleMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> none'];
  for (const [from, row] of Object.entries(LIFECYCLE) as Array<[LifecycleState, Row]>) {
    const byTarget = new Map<string, string[]>();
    for (const [trigger, target] of Object.entries(row) as Array<[TriggerType, Target]>) {
      if (target === 'same') continue;
      byTarget.set(target, [...(byTarget.get(target) ?? []), trigger]);
    }
    for (const [target, triggers] of byTarget) lines.push(`  ${from} --> ${target}: ${triggers.join(', ')}`);
  }
  lines.push('  closed --> [*]', '  rejected --> [*]', '  canceled --> [*]');
  return lines.join('\n');
}
