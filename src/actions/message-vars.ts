import { singleLine } from '../connectors/shared/single-line.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { TemplateSet } from '../templates/index.ts';
import type { LatestUpdate } from '../orchestrator/latest-update.ts';

export interface ServiceFacts {
  readonly name: string;
  readonly tier: number;
}

/** What every message-sending executor reads: the major incident, its service, the templates. */
export interface MessageContext {
  readonly load: (id: string) => Promise<MajorIncident | undefined>;
  readonly service: (id: string) => ServiceFacts | undefined;
  readonly templates: () => TemplateSet;
  /** The latest public update of a major incident (MiStore.synced `latestUpdate`): `update.*` in templates. */
  readonly latestUpdate?: (id: string) => Promise<LatestUpdate | undefined>;
  /** An audience's display name (audiences.yaml `name`), for the note written back into the ticket. */
  readonly audienceName?: (id: string) => string | undefined;
}

/**
 * The variables every template sees (config/templates/README.md), built from the major incident.
 * Pure; snake_case because that is what the shipped Liquid templates read.
 */
export function messageVars(mi: MajorIncident, service: ServiceFacts | undefined, update?: LatestUpdate) {
  return {
    mi: {
      id: mi.id,
      title: mi.title,
      priority: mi.priority ?? '',
      state: mi.state,
      declared_at: mi.declaredAt ?? mi.createdAt,
      resolved_at: mi.resolvedAt ?? '',
      closed_at: mi.closedAt ?? '',
      manager: mi.roles.majorIncidentManager ?? '',
      comms_lead: mi.roles.commsLead ?? '',
      service_owner: mi.roles.serviceOwner ?? '',
      resolver_group: mi.roles.resolverGroup ?? '',
      summary: mi.title,
    },
    services: service ? [{ name: service.name, tier: service.tier }] : [],
    tickets: {
      servicenow: mi.origin.source === 'servicenow' ? (mi.origin.number ?? '') : (mi.links.servicenow?.number ?? ''),
      jira: mi.links.jira?.key ?? (mi.origin.source === 'jira' ? (mi.origin.number ?? '') : ''),
    },
    update: update ? { text: update.text, author: update.author, at: update.at } : { text: '', author: '', at: '' },
    links: {},
  };
}

/**
 * The label before the title in a chat title or email subject, per template. Each timer email (to one
 * person, not an audience) says why it came, so it is never mistaken for a second declaration.
 */
const HEADLINE_LABELS: Readonly<Record<string, string>> = {
  resolved: 'Resolved',
  closed: 'Closed',
  update: 'Update',
  escalation: 'Escalation: page not acknowledged',
  mobilisation: 'Mobilisation incomplete',
  'update-due': 'Update due',
  'pir-overdue': 'Post-incident review overdue',
};

/** A short title for chat and email subjects: state, priority and title, on one line (a title can hold line breaks). */
export function headline(mi: MajorIncident, template: string): string {
  const label = Object.hasOwn(HEADLINE_LABELS, template) ? HEADLINE_LABELS[template] : 'Major incident';
  return `${label}: ${singleLine(mi.title)}${mi.priority ? ` (P${mi.priority})` : ''}`;
}
