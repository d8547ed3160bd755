import type { AdfDoc } from './adf.ts';
import type { StatusId } from './catalogue.ts';

/** The simulator's state: issues with their comments, remote links and properties; issue links. */

export interface Account {
  readonly accountId: string;
  readonly displayName: string;
  readonly emailAddress?: string;
}
export interface Comment {
  readonly id: string;
  readonly author: Account;
  readonly body: AdfDoc;
  readonly created: string;
  readonly internal: boolean;
  readonly properties: Record<string, unknown>;
}
export interface RemoteLink {
  readonly id: number;
  readonly globalId?: string;
  readonly application?: unknown;
  readonly relationship?: string;
  readonly object: Record<string, unknown>;
}
export interface Issue {
  readonly id: string;
  readonly key: string;
  readonly project: {
    readonly id: string;
    readonly key: string;
    readonly name: string;
    readonly typeKey: 'software' | 'business' | 'service_desk';
    /** Its Done transition's screen requires a Resolution (ProjectConfig.doneRequiresResolution). */
    readonly doneRequiresResolution: boolean;
  };
  readonly issueType: string;
  summary: string;
  description: AdfDoc | null;
  priority: string;
  labels: string[];
  /** Component names (from the site's `components`). */
  readonly components: string[];
  status: StatusId;
  resolution: { readonly id: string; readonly name: string } | null;
  resolutiondate: string | null;
  readonly created: string;
  updated: string;
  readonly reporter: Account;
  readonly creator: Account;
  /** Other fields set at creation (`components`, `customfield_*` …), as given. */
  readonly extra: Record<string, unknown>;
  readonly properties: Record<string, unknown>;
  readonly comments: Comment[];
  readonly remoteLinks: RemoteLink[];
}
export interface IssueLink {
  readonly id: string;
  readonly type: string;
  readonly inward: string;
  readonly outward: string;
}

export interface ChangeItem {
  readonly field: string;
  readonly fieldtype: 'jira';
  readonly fieldId: string;
  readonly from: string | null;
  readonly fromString: string | null;
  readonly to: string | null;
  readonly toString: string | null;
}

/** What a write did, for webhooks. */
export type JiraChange =
  | { readonly kind: 'issue_created'; readonly issue: Issue; readonly user: Account; readonly items: ChangeItem[] }
  | {
      readonly kind: 'issue_updated';
      readonly issue: Issue;
      readonly user: Account;
      readonly items: ChangeItem[];
      readonly eventType: string;
    }
  | { readonly kind: 'comment_created'; readonly issue: Issue; readonly user: Account; readonly comment: Comment };

/** Jira's timestamp format: `2019-02-15T19:01:52.971+0000`. */
export const jiraTime = (at: Date) => at.toISOString().replace('Z', '+0000');
