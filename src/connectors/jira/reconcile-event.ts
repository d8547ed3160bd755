import { finishEvent } from '../shared/finish-event.ts';
import type { NormalizeResult } from '../inbound-source.ts';
import { JIRA_PRIORITIES, JIRA_STATUS_CATEGORIES, lookup } from './mapping.ts';
import type { JiraReconcileIssue } from './outbound-schema.ts';

/**
 * The fields reconciliation asks `GET /rest/api/3/issue/{key}` for: what the webhook normalizer
 * reads, minus `description` (REST v3 returns it as ADF, the webhook as plain text).
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
export const JIRA_RECONCILE_FIELDS = [
  'summary',
  'status',
  'priority',
  'components',
  'project',
  'assignee',
  'reporter',
  'updated',
] as const;

/** Read by reconciliation, not delivered: the vendor event the timeline shows. */
export const JIRA_RECONCILE_EVENT = 'reconcile:issue_read';

/**
 * An issue read back by reconciliation → the event a missed `jira:issue_updated` would have
 * given, through the webhook's own mapping tables. The delivery id is the issue id and its
 * `fields.updated`, so a re-read that tells nothing new is a duplicate at intake. A GET does
 * not say who made the last change, so `updatedBy` stays unset.
 */
export function jiraIssueToEvent(issue: JiraReconcileIssue, receivedAt: Date): NormalizeResult {
  const fields = issue.fields;
  const updatedAt = fields?.updated;
  if (!updatedAt)
    return { kind: 'invalid', issues: [{ path: 'fields.updated', message: 'the issue read carries no update time' }] };
  return finishEvent({
    source: 'jira',
    deliveryId: `jira-reconcile:${issue.id}@${updatedAt}`,
    kind: 'incident.updated',
    vendorEvent: JIRA_RECONCILE_EVENT,
    recordId: issue.id,
    number: issue.key,
    title: fields.summary ?? undefined,
    priority: lookup(JIRA_PRIORITIES, fields.priority?.name),
    state: lookup(JIRA_STATUS_CATEGORIES, fields.status?.statusCategory?.key),
    serviceName: fields.components?.find((c) => c.name)?.name ?? fields.project?.key ?? undefined,
    assignmentGroup: fields.assignee?.displayName ?? undefined,
    caller: fields.reporter?.displayName ?? undefined,
    updatedAt,
    changedFields: [],
    receivedAt: receivedAt.toISOString(),
  });
}
