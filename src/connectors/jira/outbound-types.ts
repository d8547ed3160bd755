import type { CallMeta } from '../instrument.ts';
import type { AdfDoc } from './adf.ts';
import type { JiraStatusCategoryKey } from './mapping.ts';
import type { JiraReconcileIssue } from './outbound-schema.ts';

/** What the Jira client takes and answers; text may be plain (turned into ADF) or ready ADF. */

export interface JiraIssueRef {
  readonly id: string;
  readonly key: string;
}
export interface JiraNewIssue {
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  readonly description: string | AdfDoc;
  /** The marker label (see `markerLabel`); searched before creating. */
  readonly marker: string;
  readonly labels?: readonly string[];
  readonly priority?: string;
  /** Other fields by field id (`components`, `customfield_10010` …), from mappings.yaml. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Issue links added atomically with the create (`update.issuelinks`). */
  readonly links?: readonly { readonly type: string; readonly outwardIssue: string }[];
  /**
   * The major incident's own issue: in a JSM service project it gets the incident issue type and the
   * major-incident field (mappings.yaml `jira:`) instead of `issueType`.
   */
  readonly incident?: boolean;
}
export interface JiraRemoteLink {
  readonly globalId: string;
  readonly url: string;
  readonly title: string;
  readonly summary?: string;
}
export interface JiraPir {
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  readonly description: string | AdfDoc;
  readonly technicalIssueKey: string;
  /** Issue link type name; `Relates` exists on every site by default. */
  readonly linkType?: string;
  readonly labels?: readonly string[];
}

export interface JiraClient {
  markerLabel(incidentId: string, suffix?: string): string;
  findByMarker(label: string, meta: CallMeta): Promise<JiraIssueRef | undefined>;
  /** Find-then-create on `issue.marker`. See docs/connectors.md for search's eventual consistency. */
  createIssue(issue: JiraNewIssue, meta: CallMeta): Promise<JiraIssueRef & { readonly created: boolean }>;
  addComment(key: string, text: string, visibility: 'public' | 'internal', meta: CallMeta): Promise<void>;
  /** Returns the number of transitions performed: 0 when already in the category. */
  transitionToCategory(key: string, category: JiraStatusCategoryKey, meta: CallMeta): Promise<number>;
  addRemoteLink(key: string, link: JiraRemoteLink, meta: CallMeta): Promise<void>;
  createPir(pir: JiraPir, meta: CallMeta): Promise<JiraIssueRef & { readonly created: boolean }>;
  /** `outward` <type> `inward`; Jira keeps one link per type and pair, so repeating it is harmless (secondary). */
  linkIssues(outward: string, inward: string, type: string, meta: CallMeta): Promise<void>;
  /** Sets a select field by option name (`priority` → `{ name: 'High' }`); setting the same value again is harmless. */
  setPriority(key: string, fieldId: string, name: string, meta: CallMeta): Promise<void>;
  /**
   * Sets (`on`) or clears JSM's major-incident field; false when there is none to write (not a JSM
   * service project, no field of that name, or mappings.yaml not wired in).
   */
  setMajorIncident(key: string, on: boolean, meta: CallMeta): Promise<boolean>;
  /** The issue as reconciliation reads it (status, priority, the fields the webhook normalizer maps). */
  getIssueForReconcile(key: string, meta: CallMeta): Promise<JiraReconcileIssue>;
}
