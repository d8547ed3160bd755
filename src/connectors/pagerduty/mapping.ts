import type { EventKind } from '../../domain/incident-event.ts';

export { lookup } from '../shared/lookup.ts';

/** The incident events whose meaning the lifecycle uses; every other `incident.*` is `page.other`. */
export type PdIncidentEventType =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.unacknowledged'
  | 'incident.resolved'
  | 'incident.reopened'
  | 'incident.escalated'
  | 'incident.annotated';
export const PD_EVENT_KINDS = {
  'incident.triggered': 'page.triggered',
  'incident.acknowledged': 'page.acknowledged',
  'incident.unacknowledged': 'page.unacknowledged',
  'incident.resolved': 'page.resolved',
  'incident.reopened': 'page.reopened',
  'incident.escalated': 'page.escalated',
  'incident.annotated': 'page.annotated',
} as const satisfies Record<PdIncidentEventType, EventKind>;

export const PD_INCIDENT_EVENT_PREFIX = 'incident.';
/** PagerDuty sends this when a subscription is created or tested. */
export const PD_PING_EVENT = 'pagey.ping';
