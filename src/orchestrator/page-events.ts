import type { IncidentEvent } from '../domain/incident-event.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import type { MiStore } from '../store/mi-store.ts';

/** Page events worth a line on the timeline; the rest (annotations, priority changes) are not. */
const RECORDED = new Set<IncidentEvent['kind']>([
  'page.triggered',
  'page.acknowledged',
  'page.unacknowledged',
  'page.escalated',
  'page.resolved',
  'page.reopened',
]);

/**
 * PagerDuty webhooks about our pages: the dedup key we sent is the major incident id, so the
 * page maps back without a lookup table. An acknowledgement is recorded (the process issue
 * stops the acknowledgement timer on it); pages we did not send are ignored.
 */
/** Escalation pages carry `<mi>-esc<n>` (timer-fire.ts); they belong to the same major incident. */
export const miIdOfDedupKey = (dedupKey: string) => dedupKey.replace(/-esc\d+$/, '');

export async function handlePageEvent(
  store: MiStore<MajorIncident, TimelineEntry>,
  event: IncidentEvent,
  now: Date,
  configVersion: string,
): Promise<string> {
  const dedupKey = event.page?.dedupKey;
  if (!dedupKey || !/^MI-[A-Za-z0-9-]+$/.test(dedupKey) || !RECORDED.has(event.kind)) return 'nothing';
  const mi = await store.get(miIdOfDedupKey(dedupKey));
  if (!mi) return 'nothing';
  // The escalation page is another PagerDuty incident: the link keeps the service's own page.
  if (event.page?.incidentId && dedupKey === mi.id)
    await store.setLink(mi.id, 'pagerduty', { dedupKey, incidentId: event.page.incidentId });
  await store.appendTimeline(mi.id, [
    timelineEntry({
      at: now,
      kind: event.kind,
      actor: { type: 'source', id: `pagerduty:${event.page?.agent ?? event.updatedBy ?? 'unknown'}` },
      detail: {
        incidentId: event.page?.incidentId,
        status: event.page?.status,
        occurredAt: event.updatedAt,
        ...(dedupKey !== mi.id ? { escalationPage: dedupKey } : {}),
      },
      configVersion,
    }),
  ]);
  return event.kind;
}
