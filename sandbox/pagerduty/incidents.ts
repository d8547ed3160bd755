import { randomBytes } from 'node:crypto';
import type { Severity, ValidEvent } from './validate-event.ts';

/**
 * PagerDuty's alert/incident state as the Events API drives it: one open incident per routing
 * key and dedup key. A trigger for an open one updates it; acknowledge/resolve act on the open
 * one and are accepted (and dropped) when none is open; after resolve the key starts afresh.
 * https://developer.pagerduty.com/docs/events-api-v2-overview#alert-de-duplication
 */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface HistoryEntry {
  readonly at: string;
  readonly action: 'trigger' | 'acknowledge' | 'resolve';
  /** `events-api` for a call to /v2/enqueue, else the person's name. */
  readonly by: string;
  /** The status after the entry; unchanged when the action had nothing to do. */
  readonly status: IncidentStatus;
}

export interface SimIncident {
  readonly id: string;
  readonly number: number;
  readonly dedupKey: string;
  readonly routingKey: string;
  readonly serviceName: string;
  status: IncidentStatus;
  title: string;
  severity: Severity;
  source: string;
  customDetails: unknown;
  readonly createdAt: string;
  readonly history: HistoryEntry[];
  /** Every event body that reached this incident, in order. */
  readonly events: Readonly<Record<string, unknown>>[];
}

/** PagerDuty ids are 7 or 14 upper-case alphanumerics (`Q2CKYRLH85UNN4`). */
export function pdId(length = 14): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

export interface Change {
  readonly incident: SimIncident;
  /** The status moved (a webhook is due), rather than an update or a no-op. */
  readonly changed: boolean;
}

export function createIncidentStore(serviceName: (routingKey: string) => string, now: () => Date) {
  const incidents: SimIncident[] = [];
  let number = 0;

  const open = (routingKey: string | undefined, dedupKey: string) =>
    incidents.find(
      (i) =>
        i.dedupKey === dedupKey && i.status !== 'resolved' && (routingKey === undefined || i.routingKey === routingKey),
    );

  function record(incident: SimIncident, action: HistoryEntry['action'], by: string): void {
    incident.history.push({ at: now().toISOString(), action, by, status: incident.status });
  }

  function trigger(event: ValidEvent & { dedupKey: string }): Change {
    const existing = open(event.routingKey, event.dedupKey);
    if (existing) {
      existing.title = event.summary ?? existing.title;
      existing.severity = event.severity ?? existing.severity;
      existing.customDetails = event.customDetails ?? existing.customDetails;
      existing.events.push(event.body);
      record(existing, 'trigger', 'events-api');
      return { incident: existing, changed: false };
    }
    number += 1;
    const incident: SimIncident = {
      id: pdId(),
      number,
      dedupKey: event.dedupKey,
      routingKey: event.routingKey,
      serviceName: serviceName(event.routingKey),
      status: 'triggered',
      title: event.summary ?? '',
      severity: event.severity ?? 'critical',
      source: event.source ?? '',
      customDetails: event.customDetails,
      createdAt: now().toISOString(),
      history: [],
      events: [event.body],
    };
    incidents.push(incident);
    record(incident, 'trigger', 'events-api');
    return { incident, changed: true };
  }

  /** Acknowledge or resolve the open incident; `undefined` when none is open. */
  function move(
    action: 'acknowledge' | 'resolve',
    routingKey: string | undefined,
    dedupKey: string,
    by: string,
    body?: Record<string, unknown>,
  ): Change | undefined {
    const incident = open(routingKey, dedupKey);
    if (!incident) return undefined;
    const target: IncidentStatus = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    const changed = incident.status !== target;
    incident.status = target;
    if (body) incident.events.push(body);
    record(incident, action, by);
    return { incident, changed };
  }

  return { incidents, open, trigger, move };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
