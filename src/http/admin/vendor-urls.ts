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

/** Where a person opens one attached record (a child incident), when its system's address is known. Pure. */
export function recordUrl(
  ref: { readonly source: string; readonly recordId: string; readonly number?: string | undefined },
  bases: VendorBases,
): string | undefined {
  if (ref.source === 'servicenow' && bases.servicenow && /^[0-9a-f]{32}$/.test(ref.recordId))
    return `${trim(bases.servicenow)}/incident.do?sys_id=${ref.recordId}`;
  if (ref.source === 'jira' && bases.jira && ref.number)
    return `${trim(bases.jira)}/browse/${encodeURIComponent(ref.number)}`;
  return undefined;
}

/**
 * A Slack channel from `links.slack` (`<channel id>/<ts>`): Slack's own redirect opens it in whichever workspace the
 * person is signed in to, so no workspace address is needed. Only a well-formed channel id makes a link.
 */
export function slackChannelUrl(link: string): string | undefined {
  const id = link.split('/')[0] ?? '';
  return /^[CGD][A-Z0-9]{4,}$/.test(id) ? `https://slack.com/app_redirect?channel=${id}` : undefined;
}
