import type {
  EnsuredTicket,
  NewTicket,
  Resolution,
  TicketingConnector,
  TicketRef,
  TicketStatus,
} from '../capabilities.ts';
import type { CallMeta } from '../instrument.ts';
import { SN_IMPACT_URGENCY, SN_STATE_FOR_STATUS } from './outbound-mapping.ts';
import { snValue, type SnFields, type SnOutboundRecord } from './outbound-schema.ts';
import type { ServicenowClient } from './outbound.ts';

/**
 * ServiceNow as the ticketing capability. The major incident is a parent incident carrying our
 * `correlation_id`; related incidents become children through `parent_incident`.
 */

export interface ServicenowTicketingOptions {
  /** `close_code` when resolving without one; the choice list differs between releases (secondary). */
  readonly defaultCloseCode?: string;
  /** `close_notes` when resolving without any: ServiceNow data policies usually require both. */
  readonly defaultCloseNotes?: string;
}

export function toTicketRef(record: SnOutboundRecord): TicketRef {
  return { vendor: 'servicenow', id: record.sys_id, key: snValue(record.number) || record.sys_id };
}

/** Pure: the columns a new major incident record gets. */
export function newIncidentFields(ticket: NewTicket): SnFields {
  const { impact, urgency } = SN_IMPACT_URGENCY[ticket.priority];
  return {
    short_description: ticket.summary,
    description: ticket.description,
    impact,
    urgency,
    ...(ticket.target ? { assignment_group: ticket.target } : {}),
  };
}

/**
 * Pure: the PATCH that moves an incident to `status`. Resolving needs close fields; closing an
 * already resolved incident keeps the ones it has unless new ones are given.
 */
export function statusPatch(
  status: TicketStatus,
  resolution: Resolution | undefined,
  options: ServicenowTicketingOptions,
): SnFields {
  const state = SN_STATE_FOR_STATUS[status];
  if (status === 'in_progress' || (status === 'closed' && !resolution)) return { state };
  return {
    state,
    close_code: resolution?.code ?? options.defaultCloseCode ?? 'Solution provided',
    close_notes:
      resolution?.notes ?? options.defaultCloseNotes ?? 'Resolved by the major incident process (mim-bridge).',
  };
}

export function createServicenowTicketing(
  client: ServicenowClient,
  options: ServicenowTicketingOptions = {},
): TicketingConnector {
  return {
    kind: 'ticketing',
    vendor: 'servicenow',
    async findTicket(meta: CallMeta) {
      const found = await client.findByCorrelationId(client.correlationIdFor(meta.incidentId), meta);
      return found ? toTicketRef(found) : undefined;
    },
    async ensureTicket(ticket, meta): Promise<EnsuredTicket> {
      const { incident, created } = await client.createIncident(newIncidentFields(ticket), meta);
      return { ticket: toTicketRef(incident), created };
    },
    async addNote(ticket, note, meta) {
      if (note.visibility === 'internal') await client.addWorkNote(ticket.id, note.text, meta);
      else await client.addComment(ticket.id, note.text, meta);
    },
    async setStatus(ticket, status, meta, resolution) {
      const current = await client.getIncident(ticket.id, meta);
      // Writing the same state again would re-run business rules and notify the caller twice.
      if (snValue(current.state) === SN_STATE_FOR_STATUS[status]) return;
      await client.updateIncident(ticket.id, statusPatch(status, resolution, options), meta);
    },
    async linkChild(parent, childId, meta) {
      await client.updateIncident(childId, { parent_incident: parent.id }, meta);
    },
  };
}
