import type { LifecycleEffect } from '../domain/lifecycle.ts';
import type { PlaybookStep, RulesFile, Service } from '../config/files/schema.ts';

export interface PlannedAction {
  readonly do: PlaybookStep['do'];
  readonly majorIncidentId: string;
  readonly effect: LifecycleEffect;
  readonly [param: string]: unknown;
}

/** Which playbook each lifecycle effect runs. A re-opened incident is told as an update. */
const PLAYBOOK_OF = {
  propose: undefined,
  declare: 'declare',
  reopen: 'update',
  resolve: 'resolve',
  close: 'close',
  reject: undefined,
  cancel: undefined,
} as const satisfies Record<LifecycleEffect, keyof RulesFile['playbooks'] | undefined>;

/**
 * The single boundary between the lifecycle and the actions: the intended actions for a move,
 * from the playbooks in rules.yaml. Pure; the actions layer executes the list.
 */
export function planActions(
  mi: { readonly id: string; readonly serviceId: string },
  effects: readonly LifecycleEffect[],
  playbooks: RulesFile['playbooks'],
  service: Service | undefined,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  for (const effect of effects) {
    const name = PLAYBOOK_OF[effect];
    if (!name) continue;
    for (const step of playbooks[name]) {
      const audiences = step.do === 'notify' ? (step.audiences === 'all' || step.audiences === undefined ? service?.audiences ?? [] : step.audiences) : undefined;
      out.push({ ...step, majorIncidentId: mi.id, effect, ...(audiences ? { audiences } : {}) });
    }
  }
  return out;
}
