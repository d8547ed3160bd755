import {
  raisedPriority,
  timelineEntry,
  type MajorIncident,
  type RecordRef,
  type TimelineEntry,
} from '../domain/major-incident.ts';
import type { MiStore } from '../store/mi-store.ts';
import { priorityWriteJob, type SyncedField } from './field-sync.ts';
import { patchRecord } from './patch-record.ts';
import type { RulesRuntime } from './rules-runtime.ts';

type Store = MiStore<MajorIncident, TimelineEntry>;

/**
 * `store.get` reads a synced priority over the record's (field-sync.ts): when declaring or a child
 * raised the record's, the synced value follows, or the major incident would read back its old one.
 */
export async function keepSyncedPriority(store: Store, mi: MajorIncident, priority: number, at: Date): Promise<void> {
  const held = (await store.synced(mi.id)).priority as SyncedField | undefined;
  if (!held || held.value <= priority) return;
  const source = mi.origin.source === 'jira' ? 'jira' : 'servicenow';
  await store.setSynced(mi.id, 'priority', { value: priority, source, at: at.toISOString() } satisfies SyncedField);
}

export interface ChildPriority {
  readonly child: RecordRef;
  readonly priority: number | undefined;
}

/**
 * A declared major incident takes the priority of a child that has a higher one (a P1 child
 * raises a P2); a lower one never changes it. The raise is written to the ServiceNow record and
 * the Jira issue through the outbox, and said on the timeline. Returns the new priority, if raised.
 */
export async function raiseForChild(
  deps: { readonly store: Store; readonly rules: RulesRuntime; readonly now: Date },
  miId: string,
  { child, priority }: ChildPriority,
): Promise<number | undefined> {
  if (priority === undefined) return undefined;
  const outcome = await patchRecord(deps.store, miId, (mi) => {
    const raised = raisedPriority(mi.priority, priority);
    if (mi.state !== 'declared' || raised === undefined || raised === mi.priority) return undefined;
    return { ...mi, priority: raised, updatedAt: deps.now.toISOString() };
  });
  if (typeof outcome === 'string') return undefined;
  const { before, after } = outcome;
  const to = after.priority as number;
  await keepSyncedPriority(deps.store, before, to, deps.now);
  const because = `child/${child.source}/${child.recordId}`;
  const jobs = (['servicenow', 'jira'] as const).flatMap(
    (system) => priorityWriteJob(after, system, to, deps.rules.mappings, because) ?? [],
  );
  const entry = timelineEntry({
    at: deps.now,
    kind: 'priority.raised',
    actor: { type: 'system', id: 'priority' },
    detail: { from: before.priority ?? null, to, child, writes: jobs.map((j) => j.do) },
    configVersion: deps.rules.version,
  });
  await deps.store.appendWithOutbox(miId, [entry], jobs);
  return to;
}
