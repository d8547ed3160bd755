import type { Priority, TicketStatus } from '../capabilities.ts';
import type { JiraPriorityName, JiraStatusCategoryKey } from './mapping.ts';

/** Domain priority → the default priority scheme's names (ids differ per site, names do not). */
export const JIRA_PRIORITY_NAMES = {
  1: 'Highest',
  2: 'High',
  3: 'Medium',
  4: 'Low',
  5: 'Lowest',
} as const satisfies Record<Priority, JiraPriorityName>;

/** Workflows differ per project; the three status categories do not, so we transition by category. */
export const JIRA_CATEGORY_FOR_STATUS = {
  in_progress: 'indeterminate',
  resolved: 'done',
  closed: 'done',
} as const satisfies Record<TicketStatus, JiraStatusCategoryKey>;

/**
 * `summary` is limited to 255 characters.
 * https://support.atlassian.com/jira-cloud-administration/docs/what-are-the-field-limits-in-jira-cloud/
 */
export const SUMMARY_MAX_LENGTH = 255;
/** Labels hold at most 255 characters and no spaces. */
export const LABEL_MAX_LENGTH = 255;
/** Remote link `globalId`: "The maximum length is 255 characters" (REST v3, RemoteIssueLinkRequest). */
export const GLOBAL_ID_MAX_LENGTH = 255;

/** Issue property key we stamp on issues and comments we create, for provenance. */
export const JIRA_PROPERTY_KEY = 'mim-bridge';
/**
 * Jira Service Management reads this comment property to make a comment internal.
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/intro/#using-the-jira-platform-rest-api-to-create-internal-comments
 * (secondary for the exact wording)
 */
export const JSM_INTERNAL_COMMENT_PROPERTY = 'sd.public.comment';

/** `PROJ-42` or a numeric issue id; checked before it becomes part of a URL path. */
export const ISSUE_ID_OR_KEY = /^(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/;
