import type { IncidentRecords, RecordSweep } from '../capabilities.ts';
import type { InboundSource } from '../inbound-source.ts';
import { normalizeServicenow, verifyServicenow } from './inbound.ts';
import type { ServicenowClient } from './outbound.ts';
import { SN_IMPACT_URGENCY, SN_SYS_ID } from './outbound-mapping.ts';
import { needsPromotionFields, promotionFields } from './outbound-promotion.ts';
import { snValue } from './outbound-schema.ts';
import { servicenowRowToEvent, sweptRow } from './reconcile-row.ts';

export { SIGNATURE_HEADER as SERVICENOW_SIGNATURE_HEADER } from './inbound.ts';
export { SnIncidentRecord, SnWrappedDelivery } from './schema.ts';

export const servicenowInbound: InboundSource = {
  source: 'servicenow',
  verify: verifyServicenow,
  normalize: normalizeServicenow,
};

/**
 * The incident-records capability over the Table API client: the action layer writes through
 * this and never sees the client's row shapes or the vendor's code tables. A write that moves
 * `major_incident_state` to proposed or accepted also names who and when, as ServiceNow's own
 * Propose and Promote actions do (outbound-promotion.ts): the integration user, since it is the
 * account that makes the change; the rule or person behind the decision is on the timeline.
 */
export function servicenowRecords(client: ServicenowClient, now: () => Date = () => new Date()): IncidentRecords {
  return {
    kind: 'incident-records',
    vendor: 'servicenow',
    correlationIdFor: (id) => client.correlationIdFor(id),
    isRecordId: (id) => SN_SYS_ID.test(id),
    impactUrgency: (priority) => SN_IMPACT_URGENCY[priority],
    createIncident: async (fields, meta) => {
      const who = needsPromotionFields(fields) ? promotionFields(fields, '', await client.userSysId(meta), now()) : {};
      const { incident, created } = await client.createIncident({ ...fields, ...who }, meta);
      return { sysId: incident.sys_id, number: snValue(incident.number), created };
    },
    updateIncident: async (sysId, fields, meta) => {
      let who = {};
      if (needsPromotionFields(fields)) {
        // Read first: only a move names who and when, so a repeated write keeps the first promotion's.
        const current = snValue((await client.getIncident(sysId, meta)).major_incident_state);
        who = promotionFields(fields, current, await client.userSysId(meta), now());
      }
      await client.updateIncident(sysId, { ...fields, ...who }, meta);
    },
    incidentState: async (sysId, meta) => snValue((await client.getIncident(sysId, meta)).state),
    addComment: (sysId, text, meta) => client.addComment(sysId, text, meta),
    addWorkNote: (sysId, text, meta) => client.addWorkNote(sysId, text, meta),
  };
}

/** The reconciliation's read-back over the Table API client: the sweep and single records, as webhook events. */
export function servicenowSweep(client: Pick<ServicenowClient, 'listUpdatedSince' | 'getIncidentRow'>): RecordSweep {
  return {
    listUpdatedSince: async (page, meta) =>
      (await client.listUpdatedSince(page, meta)).map((row) => ({
        position: sweptRow(row),
        toEvent: (receivedAt: Date) => servicenowRowToEvent(row, receivedAt),
      })),
    readRecord: async (sysId, meta, receivedAt) =>
      servicenowRowToEvent(await client.getIncidentRow(sysId, meta), receivedAt),
  };
}
