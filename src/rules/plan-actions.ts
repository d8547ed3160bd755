import type { LifecycleEffect } from '../domain/lifecycle.ts';
import type { PlaybookStep, Playbooks } from '../config/files/schema-playbooks.ts';
import type { Service } from '../config/files/schema-services.ts';

export interface PlannedAction {
  readonly do: PlaybookStep['do'];
  readonly majorIncidentId: string;
  readonly effect: LifecycleEffect;
  readonly [param: string]: unknown;
}

/** Which playbook each lifecycle effect runs. A re-opened incident is told as an update. */
export const PLAYBOOK_OF = {
  propose: 'propose',
  declare: 'declare',
  reopen: 'update',
  resolve: 'resolve',
  close: 'close',
  reject: undefined,
  cancel: undefined,
} as const satisfies Record<LifecycleEffect, keyof Playbooks | undefined>;

/** Audiences a person added to or removed from a major incident (MajorIncident.audiences). */
export interface AudienceChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The affected audiences: the service's, then those added by hand, without those removed. */
export function affectedAudiences(serviceAudiences: readonly string[], changes: AudienceChanges | undefined): string[] {
  const removed = new Set(changes?.removed ?? []);
  return [...new Set([...serviceAudiences, ...(changes?.added ?? [])])].filter((a) => !removed.has(a));
}

/**
 * The single boundary between the lifecycle and the actions: the intended actions for a move,
 * from the playbooks in rules.yaml, with `notify: all` expanded to the affected audiences
 * (the service's, plus added, minus removed by hand). Explicit audience lists stay as written.
 * Pure; the actions layer executes the list.
 */
export function planActions(
  mi: { readonly id: string; readonly serviceId: string; readonly audiences?: AudienceChanges | undefined },
  effects: readonly LifecycleEffect[],
  playbooks: Playbooks,
  service: Pick<Service, 'audiences'> | undefined,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  for (const effect of effects) {
    const name = PLAYBOOK_OF[effect];
    if (!name) continue;
    for (const step of playbooks[name]) {
      if (step.do === 'notify') {
        const audiences = step.audiences === 'all' ? affectedAudiences(service?.audiences ?? [], mi.audiences) : step.audiences;
        out.push({ ...step, audiences, majorIncidentId: mi.id, effect });
      } else {
        out.push({ ...step, majorIncidentId: mi.id, effect });
      }
    }
  }
  return out;
}
