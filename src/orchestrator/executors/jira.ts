import type { TicketingConnector } from '../../connectors/capabilities.ts';
import type { MajorIncident } from '../../domain/major-incident.ts';
import type { ActionExecutor } from '../../queue/actions/action-worker.ts';
import { renderTemplate, type TemplateSet } from '../../templates/index.ts';
import { messageVars, type ServiceFacts } from './message-vars.ts';

export interface RemoteLink {
  readonly globalId: string;
  readonly url: string;
  readonly title: string;
  readonly summary?: string;
}

export interface JiraExecutorDeps {
  readonly ticketing: (project: string, issueType: string) => TicketingConnector;
  /** Adds or updates (same globalId) the link from the Jira issue back to the ServiceNow record. */
  readonly remoteLink?: (key: string, link: RemoteLink, meta: { incidentId: string; jobId: string }) => Promise<void>;
  /** ServiceNow instance URL, for links to the origin record. */
  readonly servicenowUrl?: string;
  readonly load: (id: string) => Promise<MajorIncident | undefined>;
  readonly service: (id: string) => (ServiceFacts & { jira?: { project: string; issueType: string } }) | undefined;
  readonly templates: () => TemplateSet;
}

/** The link back to the ServiceNow record, when the major incident started there. */
function servicenowLink(mi: MajorIncident, base: string | undefined): RemoteLink | undefined {
  if (!base || mi.origin.source !== 'servicenow' || !/^[0-9a-f]{32}$/.test(mi.origin.recordId)) return undefined;
  return {
    globalId: `mim-bridge:${mi.id}:servicenow`,
    url: `${base.replace(/\/$/, '')}/incident.do?sys_id=${mi.origin.recordId}`,
    title: mi.origin.number ?? mi.origin.recordId,
    summary: 'ServiceNow major incident',
  };
}

const asPriority = (p: number | undefined) => (p && p >= 1 && p <= 5 ? (p as 1 | 2 | 3 | 4 | 5) : 3);

/**
 * The technical Jira issue. `ensureTicket` searches the marker label first, so a retry after a
 * lost answer or a killed worker finds the issue it already made instead of creating another.
 */
export function jiraExecutor(deps: JiraExecutorDeps): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const service = deps.service(mi.serviceId);
    if (!service?.jira) return { detail: { skipped: `service ${mi.serviceId} names no Jira project` } };
    const meta = { incidentId: mi.id, jobId };
    const ticketing = deps.ticketing(service.jira.project, service.jira.issueType);
    switch (job.do) {
      case 'jira.create_issue': {
        // A major incident that started in Jira already has its Jira issue: link it, do not make a second.
        if (mi.origin.source === 'jira') {
          return { links: [{ system: 'jira', value: { key: mi.origin.number ?? mi.origin.recordId, id: mi.origin.recordId } }], detail: { key: mi.origin.number, created: false, origin: true } };
        }
        const description = renderTemplate(deps.templates(), 'jira-description', 'technical', messageVars(mi, service));
        const { ticket, created } = await ticketing.ensureTicket({ summary: `[${mi.id}] ${mi.title}`, description, priority: asPriority(mi.priority), target: service.jira.project }, meta);
        // Linked here as well as by the playbook's jira.remote_link step (which may run before the issue
        // exists). Best effort: a failure must not lose the created issue's key; the step retries it.
        const link = servicenowLink(mi, deps.servicenowUrl);
        const linkError = link && deps.remoteLink ? await deps.remoteLink(ticket.key, link, meta).then(() => undefined, (err: unknown) => String((err as Error).message)) : undefined;
        return {
          links: [{ system: 'jira', value: { key: ticket.key, id: ticket.id } }],
          records: [`jira/${ticket.id}`],
          detail: { key: ticket.key, created, ...(linkError ? { remoteLinkError: linkError } : {}) },
        };
      }
      case 'jira.transition': {
        // The key we stored when creating it; the marker search (eventually consistent) only as a fallback.
        const stored = mi.links.jira;
        const ticket = stored ? { vendor: 'jira' as const, id: stored.id ?? stored.key, key: stored.key } : await ticketing.findTicket(meta);
        if (!ticket) return { detail: { skipped: 'no Jira issue for this major incident' } };
        const to = job.params.to === 'done' ? 'resolved' : 'in_progress';
        await ticketing.setStatus(ticket, to, meta);
        return { detail: { key: ticket.key, to } };
      }
      case 'jira.remote_link': {
        const link = servicenowLink(mi, deps.servicenowUrl);
        if (!mi.links.jira || !link || !deps.remoteLink) return { detail: { skipped: mi.links.jira ? 'no ServiceNow record to link' : 'linked when the issue is created' } };
        // Same globalId: updates the one link in place, so repeating this is harmless.
        await deps.remoteLink(mi.links.jira.key, link, meta);
        return { detail: { key: mi.links.jira.key, url: link.url } };
      }
      case 'jira.comment': {
        const stored = mi.links.jira;
        if (!stored) return { detail: { skipped: 'no Jira issue for this major incident' } };
        const visibility = job.params.visibility === 'public' ? 'public' : 'internal';
        await ticketing.addNote({ vendor: 'jira', id: stored.id ?? stored.key, key: stored.key }, { text: String(job.params.text ?? ''), visibility }, meta);
        return { detail: { key: stored.key, visibility } };
      }
      default:
        return { detail: { skipped: `${job.do} is not executed by this version` } };
    }
  };
}
