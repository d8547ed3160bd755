import type { IncidentEvent } from '../domain/incident-event.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';

/**
 * The PIR issue moving to done completes the review: the timeline says so and the overdue
 * reminder is no longer planned (timers-plan.ts looks for `pir.completed`). Pure.
 */
export function pirCompletion(
  mi: MajorIncident,
  event: IncidentEvent,
  timeline: readonly TimelineEntry[],
  now: Date,
  configVersion: string,
): TimelineEntry | undefined {
  const pir = mi.links.pir;
  if (!pir || event.source !== 'jira' || event.number !== pir.key) return undefined;
  if (event.state !== 'resolved' && event.state !== 'closed') return undefined;
  if (timeline.some((e) => e.kind === 'pir.completed')) return undefined;
  return timelineEntry({
    at: now,
    kind: 'pir.completed',
    actor: { type: 'source', id: `jira:${event.updatedBy ?? 'unknown'}` },
    detail: { pir: pir.key, completedAt: event.updatedAt },
    configVersion,
  });
}
