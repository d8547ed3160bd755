import { SOURCES, type Source } from '../domain/incident-event.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import { childLinkJobs } from './child-links.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { SnapshotStore } from '../store/snapshot-store.ts';

/** `servicenow/<sys_id>` → its source and record id; undefined for anything else. */
export function parseIncidentKey(key: string): { source: Source; recordId: string } | undefined {
  const slash = key.indexOf('/');
  const source = key.slice(0, slash) as Source;
  return slash > 0 && SOURCES.includes(source) && key.length > slash + 1
    ? { source, recordId: key.slice(slash + 1) }
    : undefined;
}

/**
 * A storm rule declared: the incidents it counted arrived before there was a major incident to
 * join, so they become its children now (each linked in its own system, as any child is).
 * An incident that already belongs to another major incident stays there.
 */
export async function attachStorm(
  deps: {
    readonly store: MiStore<MajorIncident, TimelineEntry>;
    readonly snapshots: SnapshotStore;
    readonly configVersion: string;
  },
  mi: MajorIncident,
  members: readonly string[],
  windows: readonly string[],
  now: Date,
): Promise<number> {
  let attached = 0;
  for (const key of members) {
    const ref = parseIncidentKey(key);
    if (!ref || (mi.origin.source === ref.source && mi.origin.recordId === ref.recordId)) continue;
    if (await deps.store.findByRecord(key)) continue;
    const number = (await deps.snapshots.get(key))?.number;
    const child = { ...ref, ...(number ? { number } : {}) };
    const at = now.toISOString();
    const entry = timelineEntry({
      at,
      kind: 'child.attached',
      actor: { type: 'rule', id: mi.declaredBy?.id ?? 'rules' },
      detail: { child, reason: `counted in ${windows.join(', ')} before the declaration` },
      configVersion: deps.configVersion,
    });
    if (
      await deps.store.attachChild(
        mi.id,
        { incidentKey: key, ...child, attachedAt: at, role: 'child' },
        [entry],
        childLinkJobs(mi.id, child),
      )
    )
      attached += 1;
  }
  return attached;
}
