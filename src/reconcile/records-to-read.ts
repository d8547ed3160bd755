import type { MajorIncident } from '../domain/major-incident.ts';

/** The vendor records that speak for one major incident, to read back on every run. */
export interface RecordsToRead {
  /** ServiceNow sys_ids: the origin record, the record we created or linked. */
  readonly servicenow: readonly string[];
  /** Jira issue keys or ids: the issue we created or linked, the origin issue. */
  readonly jira: readonly string[];
}

/**
 * Only the origin and the linked records: the origin drives the lifecycle, the linked ones hold
 * what we wrote. Children are left to the sweep (ServiceNow) and their own webhooks (Jira).
 * The linked Jira key comes first; an origin issue that is also the link is read once, by key.
 */
export function recordsToRead(mi: Pick<MajorIncident, 'origin' | 'links'>): RecordsToRead {
  const servicenow = new Set<string>();
  const jira = new Set<string>();
  if (mi.origin.source === 'servicenow') servicenow.add(mi.origin.recordId);
  if (mi.links.servicenow) servicenow.add(mi.links.servicenow.sysId);
  const linked = mi.links.jira;
  if (linked) jira.add(linked.key);
  const originIsLink = linked && (linked.id === mi.origin.recordId || linked.key === mi.origin.number);
  if (mi.origin.source === 'jira' && !originIsLink) jira.add(mi.origin.number ?? mi.origin.recordId);
  return { servicenow: [...servicenow], jira: [...jira] };
}
