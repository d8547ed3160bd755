import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import type { MiStore } from '../store/mi-store.ts';

const ATTEMPTS = 4;

export type PatchOutcome =
  | { readonly before: MajorIncident; readonly after: MajorIncident }
  | 'unchanged'
  | 'not_found'
  | 'conflict';

/**
 * Rewrites fields of a major incident that do not change its state (roles, audiences), from a
 * fresh read each time: MiStore.patch is compare-and-set on the state and version, so when the record moved
 * meanwhile the change is computed again on the new record, a few times, then given up.
 * `change` returns the new record, or undefined when there is nothing to write.
 */
export async function patchRecord(
  store: MiStore<MajorIncident, TimelineEntry>,
  id: string,
  change: (mi: MajorIncident) => MajorIncident | undefined,
): Promise<PatchOutcome> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const mi = await store.get(id);
    if (!mi) return 'not_found';
    const next = change(mi);
    if (!next) return 'unchanged';
    // `get` merges the links hash and the synced priority in; both still win over the record on the
    // next read, as they do after a lifecycle move, which writes the record the same way.
    // A new version, so a lifecycle move that read the old one fails its compare and reads again.
    const versioned =
      next.updatedAt === mi.updatedAt
        ? { ...next, updatedAt: new Date(Math.max(Date.now(), Date.parse(mi.updatedAt) + 1)).toISOString() }
        : next;
    if (await store.patch(versioned, mi.state, mi.updatedAt)) return { before: mi, after: versioned };
  }
  return 'conflict';
}
