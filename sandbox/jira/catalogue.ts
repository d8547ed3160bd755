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
}
export const DEFAULT_ISSUE_TYPES = ['Task', 'Bug', 'Story', 'Incident', 'Post-incident review'] as const;
export const DEFAULT_PROJECTS: readonly ProjectConfig[] = [{ key: 'OPS', name: 'Operations' }];

/**
 * Field limits: https://support.atlassian.com/jira-cloud-administration/docs/what-are-the-field-limits-in-jira-cloud/
 */
export const SUMMARY_MAX_LENGTH = 255;
export const LABEL_MAX_LENGTH = 255;
