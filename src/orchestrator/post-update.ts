import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import { LATEST_UPDATE_FIELD, type LatestUpdate } from './latest-update.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { RulesRuntime } from './rules-runtime.ts';

export type PostUpdateResult =
  | { readonly ok: true; readonly actions: number }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'NOT_DECLARED' };

/**
 * The comms lead posts an update (the cadence reminder asked for one; with autoPost off this is
 * how it reaches the audiences): it becomes the latest public update and the update playbook
 * runs with it, under job ids of its own (`manual-update`, the time as the round).
 */
export async function postUpdate(
  deps: { readonly store: MiStore<MajorIncident, TimelineEntry>; readonly rules: RulesRuntime; readonly now: Date },
  id: string,
  text: string,
  author: string,
): Promise<PostUpdateResult> {
  const mi = await deps.store.get(id);
  if (!mi) return { ok: false, code: 'NOT_FOUND' };
  if (mi.state !== 'declared') return { ok: false, code: 'NOT_DECLARED' };
  const at = deps.now.toISOString();
  const update: LatestUpdate = { text, author, at, source: 'admin', record: 'admin-api' };
  await deps.store.setSynced(mi.id, LATEST_UPDATE_FIELD, update);
  const jobs = deps.rules.updateJobs(mi, deps.now.getTime(), 'manual-update');
  await deps.store.appendWithOutbox(
    mi.id,
    [
      timelineEntry({
        at,
        kind: 'update.posted',
        actor: { type: 'person', id: author },
        detail: { text, actions: jobs.length },
        configVersion: deps.rules.version,
      }),
    ],
    jobs,
  );
  return { ok: true, actions: jobs.length };
}
