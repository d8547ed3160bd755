import type { MajorIncident } from '../../domain/major-incident.ts';

export interface VendorBases {
  /** SERVICENOW_URL */
  readonly servicenow?: string;
  /** JIRA_URL */
  readonly jira?: string;
  /** PAGERDUTY_WEB_URL (the account's web address; the Events API URL is another host). */
  readonly pagerduty?: string;
}

const trim = (u: string) => u.replace(/\/+$/, '');

/** Where a person opens the major incident's records in each system. Pure. */
export function vendorUrls(mi: MajorIncident, bases: VendorBases): Record<string, string> {
  const out: Record<string, string> = {};
  const sn = mi.origin.source === 'servicenow' ? mi.origin.recordId : mi.links.servicenow?.sysId;
  if (bases.servicenow && sn && /^[0-9a-f]{32}$/.test(sn))
    out.servicenow = `${trim(bases.servicenow)}/incident.do?sys_id=${sn}`;
  const jira = mi.links.jira?.key ?? (mi.origin.source === 'jira' ? mi.origin.number : undefined);
  if (bases.jira && jira) out.jira = `${trim(bases.jira)}/browse/${encodeURIComponent(jira)}`;
  if (bases.jira && mi.links.pir?.key) out.pir = `${trim(bases.jira)}/browse/${encodeURIComponent(mi.links.pir.key)}`;
  if (bases.pagerduty && mi.links.pagerduty?.incidentId)
    out.pagerduty = `${trim(bases.pagerduty)}/incidents/${encodeURIComponent(mi.links.pagerduty.incidentId)}`;
  return out;
}
