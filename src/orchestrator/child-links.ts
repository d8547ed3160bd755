import type { RecordRef } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';

/**
 * An incident attached to a major incident → the link in its own system: ServiceNow children
 * get `parent_incident` (the MIM plugin's child list), Jira children an issue link to the
 * technical issue. Pure; the job id derives from the child, so attaching twice links once.
 * The parent may not exist yet (a storm attaches children before the Jira issue is created):
 * the executor waits for it.
 */
export function childLinkJobs(majorIncidentId: string, child: RecordRef): ActionJob[] {
  const base = { majorIncidentId, effect: 'attach', step: 0, round: 0, channel: `${child.source}/${child.recordId}` };
  switch (child.source) {
    case 'servicenow':
      return [
        {
          ...base,
          do: 'servicenow.link_child',
          target: 'servicenow',
          params: { childSysId: child.recordId, ...(child.number ? { childNumber: child.number } : {}) },
        },
      ];
    case 'jira':
      return [{ ...base, do: 'jira.link_child', target: 'jira', params: { childKey: child.number ?? child.recordId } }];
    case 'pagerduty':
      return [];
  }
}
