import type { IncidentEvent } from '../domain/incident-event.ts';
import { timelineEntry, type MajorIncident, type MiState, type TimelineEntry } from '../domain/major-incident.ts';
import { ConcurrentUpdateError } from './apply-decision.ts';
import { speaksForMi } from './latest-update.ts';
import type { MiStore } from '../store/mi-store.ts';
import { patchRecord } from './patch-record.ts';
import type { RulesRuntime } from './rules-runtime.ts';

/** The field of MiStore.synced that holds the assignment group last read from ServiceNow. */
export const SEEN_GROUP_FIELD = 'assignmentGroup';

export interface SeenGroup {
  readonly value: string;
  /** The source's update time of the delivery it was read from. */
  readonly at: string;
}

export type RoleSyncPlan =
  | { readonly kind: 'none' }
  /** Remember the value (a later delivery without a changed list is compared with it), change nothing. */
  | { readonly kind: 'seen'; readonly seen: SeenGroup }
  | { readonly kind: 'change'; readonly from: string | undefined; readonly to: string; readonly seen: SeenGroup };

/** A resolved major incident may still be re-assigned before it closes; a closed one is history. */
const SYNCING: readonly MiState[] = ['candidate', 'declared', 'resolved'];

/**
 * The resolver group from the ServiceNow record that speaks for the major incident (origin or
 * counterpart, never a child): its `assignment_group`. A change counts when the delivery lists
 * `assignment_group` among its changed fields; a delivery that lists none counts when the value
 * differs from the one last read (or, never read yet, from the role), so a group set through the
 * admin API is not undone by the next unrelated update of the record. Older deliveries never
 * roll it back. Pure.
 */
export function planRoleSync(mi: MajorIncident, event: IncidentEvent, lastSeen: SeenGroup | undefined): RoleSyncPlan {
  const value = event.assignmentGroup?.trim();
  if (event.source !== 'servicenow' || !value || !SYNCING.includes(mi.state) || !speaksForMi(mi, event))
    return { kind: 'none' };
  if (lastSeen && Date.parse(event.updatedAt) < Date.parse(lastSeen.at)) return { kind: 'none' };
  const seen = { value, at: event.updatedAt };
  const changed = event.changedFields.length
    ? event.changedFields.includes('assignment_group')
    : value !== (lastSeen?.value ?? mi.roles.resolverGroup);
  if (changed && value !== mi.roles.resolverGroup)
    return { kind: 'change', from: mi.roles.resolverGroup, to: value, seen };
  return lastSeen?.value === value ? { kind: 'none' } : { kind: 'seen', seen };
}

/** Applies planRoleSync: the role on the record (compare-and-set, retried), the value read, and `roles.changed`. */
export async function applyRoleSync(
  store: MiStore<MajorIncident, TimelineEntry>,
  rules: RulesRuntime,
  miId: string,
  event: IncidentEvent,
  now: Date,
): Promise<string | undefined> {
  const lastSeen = (await store.synced(miId))[SEEN_GROUP_FIELD] as SeenGroup | undefined;
  let plan: RoleSyncPlan = { kind: 'none' };
  const by = `${event.source}:${event.updatedBy ?? 'unknown'}`;
  const result = await patchRecord(store, miId, (mi) => {
    plan = planRoleSync(mi, event, lastSeen);
    return plan.kind === 'change'
      ? { ...mi, roles: { ...mi.roles, resolverGroup: plan.to }, updatedAt: now.toISOString() }
      : undefined;
  });
  if (result === 'conflict') throw new ConcurrentUpdateError(miId);
  const done = plan as RoleSyncPlan;
  if (done.kind === 'none') return undefined;
  await store.setSynced(miId, SEEN_GROUP_FIELD, done.seen);
  if (done.kind === 'seen') return undefined;
  await store.appendTimeline(miId, [
    timelineEntry({
      at: now.toISOString(),
      kind: 'roles.changed',
      actor: { type: 'source', id: by },
      detail: {
        from: { resolverGroup: done.from ?? null },
        to: { resolverGroup: done.to },
        by,
        field: 'assignment_group',
        record: { source: event.source, recordId: event.recordId, ...(event.number ? { number: event.number } : {}) },
      },
      configVersion: rules.version,
    }),
  ]);
  return 'roles:changed';
}
