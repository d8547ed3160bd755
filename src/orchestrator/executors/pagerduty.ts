import type { PagingConnector } from '../../connectors/capabilities.ts';
import type { MajorIncident } from '../../domain/major-incident.ts';
import type { ActionExecutor } from '../../queue/actions/action-worker.ts';

/** PagerDuty severity from our canonical priority: P1 pages as critical, P2 as error, else warning. */
const severityOf = (priority: number | undefined) => (priority === 1 ? 'critical' : priority === 2 ? 'error' : 'warning');

/**
 * Paging actions. The dedup key is the major incident id, so a retried trigger (after a lost
 * answer or a killed worker) updates PagerDuty's one alert instead of paging twice.
 */
export function pagerdutyExecutor(paging: PagingConnector, load: (id: string) => Promise<MajorIncident | undefined>): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const meta = { incidentId: mi.id, jobId };
    switch (job.do) {
      case 'pagerduty.trigger': {
        const page = await paging.trigger({
          service: mi.serviceId,
          summary: `[${mi.id}] ${mi.title}`,
          source: 'mim-bridge',
          severity: severityOf(mi.priority),
          details: { majorIncident: mi.id, service: mi.serviceId, origin: `${mi.origin.source} ${mi.origin.number ?? mi.origin.recordId}` },
        }, meta);
        return { links: [{ system: 'pagerduty', value: { dedupKey: page.dedupKey } }], detail: { dedupKey: page.dedupKey } };
      }
      case 'pagerduty.acknowledge':
        return { detail: { dedupKey: (await paging.acknowledge(mi.serviceId, meta)).dedupKey } };
      case 'pagerduty.resolve':
        return { detail: { dedupKey: (await paging.resolve(mi.serviceId, meta)).dedupKey } };
      default:
        throw new Error(`pagerduty executor cannot run ${job.do}`);
    }
  };
}
