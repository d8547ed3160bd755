import type { IncidentEvent } from '../domain/incident-event.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import { syncConflicts } from '../observability/metrics.ts';
import { planFieldSync, type SyncedField } from './field-sync.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { RulesRuntime } from './rules-runtime.ts';

/**
 * Applies the field-sync plan for one event on a record of `mi`: the field's new value, the
 * writes to the other system (through the outbox), and a timeline entry saying what was synced
 * or which conflict was resolved how. Returns a short outcome for the events log.
 */
export async function applyFieldSync(
  store: MiStore<MajorIncident, TimelineEntry>,
  rules: RulesRuntime,
  mi: MajorIncident,
  event: IncidentEvent,
  now: Date,
): Promise<string | undefined> {
  const current = (await store.synced(mi.id)).priority as SyncedField | undefined;
  const plan = planFieldSync({ mi, event, mappings: rules.mappings, ...(current ? { current } : {}) });
  if (plan.kind === 'none') return undefined;
  const actor = { type: 'source' as const, id: `${event.source}:${event.updatedBy ?? 'unknown'}` };
  const at = now.toISOString();
  if (plan.kind === 'apply') {
    await store.setSynced(mi.id, plan.field, plan.next);
    await store.appendTimeline(mi.id, [
      timelineEntry({
        at,
        kind: 'field.synced',
        actor,
        detail: { ...plan.detail, writes: plan.jobs.map((j) => j.do) },
        configVersion: rules.version,
      }),
    ]);
  } else {
    syncConflicts.inc({ field: plan.field });
    await store.appendTimeline(mi.id, [
      timelineEntry({
        at,
        kind: 'sync.conflict',
        actor,
        detail: { ...plan.detail, writes: plan.jobs.map((j) => j.do) },
        configVersion: rules.version,
      }),
    ]);
  }
  await store.enqueueOutbox(plan.jobs);
  return `${plan.field}:${plan.kind}`;
}
