import { LIFECYCLE, type LifecycleState, type Row, type MoveTarget } from './lifecycle-table.ts';
import type { TriggerKey } from './lifecycle-trigger.ts';

const TERMINAL: readonly LifecycleState[] = ['closed', 'rejected', 'canceled'];

/**
 * The transition table as a Mermaid `stateDiagram-v2`, one arrow per (from, to) labelled with
 * its triggers; no-op repeats are left out. Docs embed this text, so they cannot drift.
 */
export function lifecycleMermaid(): string {
  const lines = ['stateDiagram-v2', '  [*] --> none'];
  for (const [from, row] of Object.entries(LIFECYCLE) as Array<[LifecycleState, Row]>) {
    const byTarget = new Map<string, string[]>();
    for (const [trigger, target] of Object.entries(row) as Array<[TriggerKey, MoveTarget]>) {
      if (target === 'same') continue;
      byTarget.set(target, [...(byTarget.get(target) ?? []), trigger]);
    }
    for (const [target, triggers] of byTarget) lines.push(`  ${from} --> ${target}: ${triggers.join(', ')}`);
  }
  for (const state of TERMINAL) lines.push(`  ${state} --> [*]`);
  return lines.join('\n');
}
