import type { LifecycleEffect } from '../domain/lifecycle.ts';

/**
 * A playbook step as rules.yaml gives it (config/files/schema-playbooks.ts validates each
 * action's parameters); planning reads only `do` and a notify step's audiences.
 */
export interface PlaybookStepShape {
  readonly do: string;
  readonly audiences?: 'all' | readonly string[];
  readonly [param: string]: unknown;
}

export type PlaybookName = 'propose' | 'declare' | 'update' | 'resolve' | 'close' | 'cancel';
export type PlaybooksOf<Step extends PlaybookStepShape> = { readonly [name in PlaybookName]: readonly Step[] };

export interface PlannedAction<Do extends string = string> {
  readonly do: Do;
  readonly majorIncidentId: string;
  readonly effect: LifecycleEffect;
  readonly [param: string]: unknown;
}

/**
 * Which playbook each lifecycle effect runs. A re-opened incident is told as an update. A cancelled
 * one (a candidate or a declared major incident that was not one after all) runs its own playbook,
 * to undo what declaring marked; a rejected candidate was never marked, so it runs none.
 */
export const PLAYBOOK_OF = {
  propose: 'propose',
  declare: 'declare',
  reopen: 'update',
  resolve: 'resolve',
  close: 'close',
  reject: undefined,
  cancel: 'cancel',
} as const satisfies Record<LifecycleEffect, PlaybookName | undefined>;

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
 * from the playbooks in rules.yaml, with `audiences: all` (notify, servicenow.announce) expanded to the affected audiences
 * (the service's, plus added, minus removed by hand). Explicit audience lists stay as written.
 * Pure; the actions layer executes the list.
 */
export function planActions<Step extends PlaybookStepShape>(
  mi: { readonly id: string; readonly serviceId: string; readonly audiences?: AudienceChanges | undefined },
  effects: readonly LifecycleEffect[],
  playbooks: PlaybooksOf<Step>,
  service: { readonly audiences: readonly string[] } | undefined,
): PlannedAction<Step['do']>[] {
  const out: PlannedAction<Step['do']>[] = [];
  for (const effect of effects) {
    const name = PLAYBOOK_OF[effect];
    if (!name) continue;
    for (const step of playbooks[name]) {
      // notify and the announcement steps name audiences.
      if (step.audiences !== undefined) {
        const audiences =
          step.audiences === 'all' ? affectedAudiences(service?.audiences ?? [], mi.audiences) : step.audiences;
        out.push({ ...step, audiences, majorIncidentId: mi.id, effect });
      } else {
        out.push({ ...step, majorIncidentId: mi.id, effect });
      }
    }
  }
  return out;
}
