import type { ServicenowClient } from '../../connectors/servicenow/outbound.ts';
import { snValue } from '../../connectors/servicenow/outbound-schema.ts';
import type { MajorIncident } from '../../domain/major-incident.ts';
import type { ActionExecutor } from '../../queue/actions/action-worker.ts';

export interface ServicenowExecutorDeps {
  readonly client: ServicenowClient;
  readonly load: (id: string) => Promise<MajorIncident | undefined>;
}

/** ServiceNow state code for "Resolved" (VENDOR-NOTES: 6 Resolved). */
const SN_RESOLVED = '6';

/**
 * Actions on the ServiceNow record the major incident started from. Major incidents that started
 * in Jira have no such record yet (creating one is `servicenow.create_incident`, not run here).
 * Every write sets `correlation_id` to our id, the marker that tells our own echoes apart.
 */
export function servicenowExecutor(deps: ServicenowExecutorDeps): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    // A major incident declared by hand or started in Jira has no ServiceNow record to write to (yet).
    if (mi.origin.source !== 'servicenow' || !/^[0-9a-f]{32}$/.test(mi.origin.recordId)) return { detail: { skipped: 'no ServiceNow record behind this major incident' } };
    const sysId = mi.origin.recordId;
    const meta = { incidentId: mi.id, jobId };
    const marker = { correlation_id: deps.client.correlationIdFor(mi.id), correlation_display: 'mim-bridge' };
    switch (job.do) {
      case 'servicenow.set_major_state': {
        const value = String(job.params.value ?? 'accepted');
        await deps.client.updateIncident(sysId, { major_incident_state: value, ...marker }, meta);
        return { links: [{ system: 'servicenow', value: { sysId, ...(mi.origin.number ? { number: mi.origin.number } : {}) } }], detail: { sysId, major_incident_state: value } };
      }
      case 'servicenow.resolve': {
        const current = await deps.client.getIncident(sysId, meta);
        // The record usually resolved first (that is what resolved the MI); writing it again would re-run its business rules.
        const state = snValue(current.state);
        if (state === SN_RESOLVED || state === '7') return { detail: { sysId, skipped: 'already resolved' } };
        await deps.client.updateIncident(sysId, {
          state: SN_RESOLVED, close_code: 'Solution provided', close_notes: `Resolved with major incident ${mi.id} (mim-bridge).`, ...marker,
        }, meta);
        return { detail: { sysId, state: SN_RESOLVED } };
      }
      case 'servicenow.comment':
      case 'servicenow.work_note': {
        const text = String(job.params.text ?? '');
        // Journal fields: `comments` is customer-visible, `work_notes` internal; the job's `do` was chosen from the source's visibility.
        if (job.do === 'servicenow.comment') await deps.client.addComment(sysId, text, meta);
        else await deps.client.addWorkNote(sysId, text, meta);
        return { detail: { sysId, field: job.do === 'servicenow.comment' ? 'comments' : 'work_notes' } };
      }
      default:
        return { detail: { skipped: `${job.do} is not executed by this version` } };
    }
  };
}
