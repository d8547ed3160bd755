/**
 * The site's configuration the simulator plays: one workflow (To Do → In Progress → Done, Done →
 * To Do to re-open, In Progress → To Do), the default priority scheme, the default link types.
 * Ids are the usual ones of a new Cloud site (they differ per site; mim-bridge looks them up).
 */

export interface StatusCategory {
  readonly id: number;
  readonly key: 'new' | 'indeterminate' | 'done';
  readonly colorName: string;
  readonly name: string;
}
export interface Status {
  readonly id: string;
  readonly name: string;
  readonly statusCategory: StatusCategory;
}
export interface Transition {
  readonly id: string;
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

const NEW: StatusCategory = { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' };
const INDETERMINATE: StatusCategory = { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' };
const DONE: StatusCategory = { id: 3, key: 'done', colorName: 'green', name: 'Done' };

export const STATUSES = {
  '10000': { id: '10000', name: 'To Do', statusCategory: NEW },
  '3': { id: '3', name: 'In Progress', statusCategory: INDETERMINATE },
  '10001': { id: '10001', name: 'Done', statusCategory: DONE },
} as const satisfies Record<string, Status>;
export type StatusId = keyof typeof STATUSES;
export const INITIAL_STATUS: StatusId = '10000';

export const TRANSITIONS: readonly Transition[] = [
  { id: '21', name: 'In Progress', from: '10000', to: '3' },
  { id: '11', name: 'To Do', from: '3', to: '10000' },
  { id: '31', name: 'Done', from: '3', to: '10001' },
  { id: '41', name: 'Reopen', from: '10001', to: '10000' },
];

/** The resolution the Done transition's post function sets (and Reopen clears). */
export const DONE_RESOLUTION = { id: '10000', name: 'Done' } as const;
/** A new Cloud site's resolutions (ids differ per site). */
export const RESOLUTIONS: readonly { readonly id: string; readonly name: string }[] = [
  DONE_RESOLUTION,
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
  { id: '10003', name: 'Cannot Reproduce' },
];
/**
 * Jira's answer to a transition whose screen requires a Resolution that the request lacks: a
 * field error under the field's id. (secondary: the wording; a workflow's validator may word it
 * differently; Atlassian KB "Setting the Accepted State in Jira Align does not synchronize if
 * there is no default Resolution in Jira") https://confluence.atlassian.com/pages/viewpage.action?pageId=1388159669
 */
export const RESOLUTION_REQUIRED = 'Resolution is required.';

export const PRIORITIES: Readonly<Record<string, string>> = {
  Highest: '1',
  High: '2',
  Medium: '3',
  Low: '4',
  Lowest: '5',
};
export const DEFAULT_PRIORITY = 'Medium';

export interface LinkType {
  readonly id: string;
  readonly name: string;
  readonly inward: string;
  readonly outward: string;
}
export const LINK_TYPES: readonly LinkType[] = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
];

export interface ProjectConfig {
  readonly key: string;
  readonly name?: string;
  readonly issueTypes?: readonly string[];
  /** `software` (default) or `service_desk`, a Jira Service Management service project. */
  readonly projectTypeKey?: 'software' | 'business' | 'service_desk';
  /** Its Done transition has a screen with a required Resolution (and no post function setting one). */
  readonly doneRequiresResolution?: boolean;
}
export const DEFAULT_ISSUE_TYPES = ['Task', 'Bug', 'Story', 'Incident', 'Post-incident review'] as const;
/** The issue types of JSM's IT service management template (secondary: the exact list). */
export const JSM_ISSUE_TYPES = [
  '[System] Incident',
  '[System] Service request',
  '[System] Problem',
  '[System] Change',
  '[System] Post-incident review',
  'Task',
] as const;
/** A JSM service project as many admins run one: incidents, and a Done that asks for a Resolution. */
export const JSM_PROJECT: ProjectConfig = {
  key: 'ITSM',
  name: 'IT Service Management',
  projectTypeKey: 'service_desk',
  issueTypes: JSM_ISSUE_TYPES,
  doneRequiresResolution: true,
};
export const DEFAULT_PROJECTS: readonly ProjectConfig[] = [{ key: 'OPS', name: 'Operations' }, JSM_PROJECT];

/**
 * JSM's major-incident field, on a site with a service project: a custom field whose id differs per
 * site, found by its name (GET /rest/api/3/field); `MAJOR_INCIDENT` marks the issue, null clears it
 * (secondary). https://developer.atlassian.com/cloud/incidents/rest/api-group-incident/
 */
export const MAJOR_INCIDENT_FIELD = {
  id: 'customfield_10094',
  key: 'customfield_10094',
  name: 'Major incident',
  custom: true,
  orderable: true,
  navigable: true,
  searchable: true,
  clauseNames: ['cf[10094]', 'Major incident'],
  schema: {
    type: 'sd-major-incident-entity',
    custom: 'com.atlassian.servicedesk.incident-management-plugin:sd-incidents-major-incident-entity',
    customId: 10094,
  },
} as const;
export const MAJOR_INCIDENT_VALUE = 'MAJOR_INCIDENT';
/** A few of the system fields GET /rest/api/3/field lists on every site. */
export const SYSTEM_FIELDS = ['summary', 'description', 'priority', 'labels', 'status', 'resolution'].map((id) => ({
  id,
  key: id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  custom: false,
  orderable: id !== 'status',
  navigable: true,
  searchable: true,
  clauseNames: [id],
  schema: { type: id === 'labels' ? 'array' : id === 'summary' || id === 'description' ? 'string' : id, system: id },
}));

/**
 * Field limits: https://support.atlassian.com/jira-cloud-administration/docs/what-are-the-field-limits-in-jira-cloud/
 */
export const SUMMARY_MAX_LENGTH = 255;
export const LABEL_MAX_LENGTH = 255;
