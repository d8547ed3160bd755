import { createHash } from 'node:crypto';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import type { MiStore } from '../store/mi-store.ts';
import { readLatestUpdate, type LatestUpdate } from './latest-update.ts';

/**
 * What the public status feed (GET /status, /status.json, /status.atom) may show: the open major
 * incidents of services that opted in (services.yaml `statusPage: true`), with their public
 * updates. Built from an allow-list of fields, so nothing else of a major incident (roles, work
 * notes, vendor ids, sys_ids, ticket keys, the internal id) can reach it.
 */

export interface PublicUpdate {
  readonly at: string;
  readonly text: string;
}

export interface PublicIncident {
  /** A digest of the internal id: stable per major incident, says nothing about it. */
  readonly id: string;
  readonly title: string;
  readonly service: string;
  readonly startedAt: string;
  /** The newest update's time, else the start. */
  readonly updatedAt: string;
  /** Newest first. */
  readonly updates: readonly PublicUpdate[];
}

export interface PublicStatus {
  readonly generatedAt: string;
  readonly incidents: readonly PublicIncident[];
}

/** Updates shown per incident, newest first; the page is a summary, not the history. */
export const MAX_PUBLIC_UPDATES = 20;
/** How far back in a timeline the comms lead's updates are read (a bounded read of the newest entries). */
export const TIMELINE_TAIL = 500;

export const publicId = (miId: string) => createHash('sha256').update(`mim-status:${miId}`).digest('hex').slice(0, 16);

/**
 * The public updates of one major incident: what the comms lead posted (`update.posted` on the
 * timeline) and the latest public comment on its ticket (latest-update.ts), deduplicated, newest
 * first. Pure.
 */
export function publicUpdates(
  timeline: readonly TimelineEntry[],
  latest: LatestUpdate | undefined,
  max = MAX_PUBLIC_UPDATES,
): PublicUpdate[] {
  const out: PublicUpdate[] = [];
  for (const e of timeline)
    if (e.kind === 'update.posted' && typeof e.detail.text === 'string' && e.detail.text.trim())
      out.push({ at: e.at, text: e.detail.text.trim() });
  if (latest?.text.trim() && !out.some((u) => u.text === latest.text.trim()))
    out.push({ at: latest.at, text: latest.text.trim() });
  return out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, max);
}

/** One major incident as the public sees it, or undefined when it is not for the public (not declared, a drill). */
export function toPublicIncident(
  mi: MajorIncident,
  serviceName: string,
  updates: readonly PublicUpdate[],
): PublicIncident | undefined {
  // Exercises (drills) are marked `exercise: true`; they are never shown to end users.
  if (mi.state !== 'declared' || mi.exercise === true) return undefined;
  const startedAt = mi.declaredAt ?? mi.createdAt;
  return {
    id: publicId(mi.id),
    title: mi.title,
    service: serviceName,
    startedAt,
    updatedAt: updates[0]?.at ?? startedAt,
    updates,
  };
}

export interface PublicStatusDeps {
  readonly store: Pick<MiStore<MajorIncident, TimelineEntry>, 'openFor' | 'timeline' | 'synced'>;
  /** The opted-in services (id and display name) of the active config. */
  readonly services: () => ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly now?: () => Date;
}

/**
 * Reads the status: per opted-in service, its open major incident (the per-service pointer, one
 * key), the newest TIMELINE_TAIL timeline entries and the latest update. Bounded by the number of
 * opted-in services, never a scan of every major incident.
 */
export async function readPublicStatus(deps: PublicStatusDeps): Promise<PublicStatus> {
  const rows = await Promise.all(
    deps.services().map(async (s) => {
      const mi = await deps.store.openFor(s.id);
      if (mi?.state !== 'declared') return undefined;
      const [timeline, latest] = await Promise.all([
        deps.store.timeline(mi.id, -TIMELINE_TAIL, -1),
        readLatestUpdate(deps.store, mi.id),
      ]);
      return toPublicIncident(mi, s.name, publicUpdates(timeline, latest));
    }),
  );
  const incidents = rows
    .filter((r): r is PublicIncident => r !== undefined)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  return { generatedAt: (deps.now?.() ?? new Date()).toISOString(), incidents };
}
