import type { TicketingConnector, TicketRef } from '../capabilities.ts';
import type { CallMeta } from '../instrument.ts';
import { JIRA_CATEGORY_FOR_STATUS, JIRA_PRIORITY_NAMES } from './outbound-mapping.ts';
import type { JiraClient, JiraIssueRef } from './outbound.ts';

/**
 * Jira as the ticketing capability: the technical issue for resolvers. Status changes go by
 * status category, so any workflow works. `setStatus` ignores `resolution`: the workflow's post
 * functions set Jira's, or, where the transition's screen requires it, mappings.yaml
 * `jira.transitionFields` does (outbound-transition.ts).
 */

export interface JiraTicketingOptions {
  /** Project key when `NewTicket.target` gives none. */
  readonly project: string;
  readonly issueType: string;
  /** Issue link type for related (child) issues; `Relates` exists on every site by default. */
  readonly linkType?: string;
}

const toRef = (issue: JiraIssueRef): TicketRef => ({ vendor: 'jira', id: issue.id, key: issue.key });

/** The ticketing capability plus what only Jira Service Management has. */
export interface JiraTicketing extends TicketingConnector {
  /** Sets or clears JSM's major-incident field on the issue; false when the site or project has none. */
  markMajorIncident(ticket: TicketRef, on: boolean, meta: CallMeta): Promise<boolean>;
}

export function createJiraTicketing(client: JiraClient, options: JiraTicketingOptions): JiraTicketing {
  return {
    kind: 'ticketing',
    vendor: 'jira',
    async findTicket(meta) {
      const found = await client.findByMarker(client.markerLabel(meta.incidentId), meta);
      return found && toRef(found);
    },
    async ensureTicket(ticket, meta) {
      const issue = await client.createIssue(
        {
          project: ticket.target ?? options.project,
          issueType: options.issueType,
          summary: ticket.summary,
          description: ticket.description,
          priority: JIRA_PRIORITY_NAMES[ticket.priority],
          marker: client.markerLabel(meta.incidentId),
          ...(ticket.labels ? { labels: ticket.labels } : {}),
          incident: true,
        },
        meta,
      );
      return { ticket: toRef(issue), created: issue.created };
    },
    async addNote(ticket, note, meta) {
      await client.addComment(ticket.key, note.text, note.visibility, meta);
    },
    async setStatus(ticket, status, meta) {
      await client.transitionToCategory(ticket.key, JIRA_CATEGORY_FOR_STATUS[status], meta);
    },
    async linkChild(parent, childId, meta) {
      await client.linkIssues(parent.key, childId, options.linkType ?? 'Relates', meta);
    },
    markMajorIncident: (ticket, on, meta) => client.setMajorIncident(ticket.key, on, meta),
  };
}
