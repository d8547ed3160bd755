import type { EventKind, IncidentState } from '../../domain/incident-event.ts';

/**
 * Lookup tables between Jira names and the domain; `satisfies Record<...>` makes a missing
 * case a compile error, and `lookup` reads own properties only (`constructor` maps to nothing).
 */
export { lookup } from '../shared/lookup.ts';

/** The webhook events we act on; any other `webhookEvent` is answered and ignored. */
export type JiraWebhookEvent =
  | 'jira:issue_created'
  | 'jira:issue_updated'
  | 'jira:issue_deleted'
  | 'comment_created'
  | 'comment_updated'
  | 'comment_deleted';
export const JIRA_EVENT_KINDS = {
  'jira:issue_created': 'incident.created',
  'jira:issue_updated': 'incident.updated',
  'jira:issue_deleted': 'incident.deleted',
  comment_created: 'comment.created',
  comment_updated: 'comment.updated',
  comment_deleted: 'comment.deleted',
} as const satisfies Record<JiraWebhookEvent, EventKind>;

/**
 * `jira:issue_updated` also reports comments (the only way Data Center and older
 * subscriptions learn of them); `issue_event_type_name` says so and `comment` is attached.
 */
export type JiraCommentIssueEvent = 'issue_commented' | 'issue_comment_edited' | 'issue_comment_deleted';
export const JIRA_ISSUE_EVENT_KINDS = {
  issue_commented: 'comment.created',
  issue_comment_edited: 'comment.updated',
  issue_comment_deleted: 'comment.deleted',
} as const satisfies Record<JiraCommentIssueEvent, EventKind>;

/** Jira's default priority scheme, by name (ids differ per site); other names map to nothing. */
export type JiraPriorityName = 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';
export const JIRA_PRIORITIES = {
  Highest: 1,
  High: 2,
  Medium: 3,
  Low: 4,
  Lowest: 5,
} as const satisfies Record<JiraPriorityName, 1 | 2 | 3 | 4 | 5>;

/** `status.statusCategory.key`: the three categories every workflow status belongs to. */
export type JiraStatusCategoryKey = 'new' | 'indeterminate' | 'done';
export const JIRA_STATUS_CATEGORIES = {
  new: 'new',
  indeterminate: 'in_progress',
  done: 'resolved',
} as const satisfies Record<JiraStatusCategoryKey, IncidentState>;
