import type { PagingConnector } from '../connectors/capabilities.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionExecutor } from '../domain/action.ts';

/** PagerDuty severity from our canonical priority: P1 pages as critical, P2 as error, else warning. */
const severityOf = (priority: number | undefined) =>
  priority === 1 ? 'critical' : priority === 2 ? 'error' : 'warning';

/** The routing-key name an escalation pages (actions-runtime.ts registers it per service). */
export const escalationService = (serviceId: string) => `${serviceId}#escalation`;
/** The routing-key name an exercise pages: the service's drill key, else its own (actions-runtime.ts registers it). */
export const drillService = (serviceId: string) => `${serviceId}#drill`;
/** Each escalation is a page of its own, so PagerDuty notifies again; its acks map back (page-events.ts). */
export const escalationDedupKey = (miId: string, n: number) => `${miId}-esc${n}`;

/**
 * Paging actions. The dedup key is the major incident id, so a retried trigger (after a lost
 * answer or a killed worker) updates PagerDuty's one alert instead of paging twice.
 */
export function pagerdutyExecutor(
  paging: PagingConnector,
  load: (id: string) => Promise<MajorIncident | undefined>,
  /** How many escalation pages the major incident has had (its `escalation.ack` timeline entries). */
  escalations: (id: string) => Promise<number> = async () => 0,
): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const meta = { incidentId: mi.id, jobId };
    // A drill pages, escalates, acknowledges and resolves on its drill key (PagerDuty wants one key per alert).
    const service = mi.exercise ? drillService(mi.serviceId) : mi.serviceId;
    const escalationKey = mi.exercise ? service : escalationService(mi.serviceId);
    switch (job.do) {
      case 'pagerduty.trigger': {
        const n = job.params.n ?? 1;
        const escalation = job.params.escalation ?? false;
        const page = await paging.trigger(
          {
            service: escalation ? escalationKey : service,
            summary: `${escalation ? `ESCALATION ${n}: page not acknowledged — ` : ''}[${mi.id}] ${mi.title}`,
            source: 'mim-bridge',
            severity: escalation ? 'critical' : severityOf(mi.priority),
            details: {
              majorIncident: mi.id,
              service: mi.serviceId,
              origin: `${mi.origin.source} ${mi.origin.number ?? mi.origin.recordId}`,
              ...(escalation ? { escalation: n } : {}),
            },
          },
          escalation ? { ...meta, incidentId: escalationDedupKey(mi.id, n) } : meta,
        );
        if (escalation) return { detail: { dedupKey: page.dedupKey, escalation: n } };
        return {
          links: [{ system: 'pagerduty', value: { dedupKey: page.dedupKey } }],
          detail: { dedupKey: page.dedupKey },
        };
      }
      case 'pagerduty.acknowledge':
        return { detail: { dedupKey: (await paging.acknowledge(service, meta)).dedupKey } };
      case 'pagerduty.resolve': {
        const { dedupKey } = await paging.resolve(service, meta);
        // Escalation pages are alerts of their own: resolve them with the incident.
        const count = await escalations(mi.id);
        for (let n = 1; n <= count; n += 1)
          await paging.resolve(escalationKey, { ...meta, incidentId: escalationDedupKey(mi.id, n) });
        return { detail: { dedupKey, ...(count ? { escalationPagesResolved: count } : {}) } };
      }
      default:
        throw new Error(`pagerduty executor cannot run ${job.do}`);
    }
  };
}
