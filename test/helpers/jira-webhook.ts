import { readFileSync } from 'node:fs';

/** A JSON object from a fixture: the parts this helper replaces are typed, everything else is kept as it is. */
type Obj = { [key: string]: unknown };
export interface JiraWebhookBody extends Obj {
  timestamp?: number;
  issue: Obj & {
    id: string;
    key: string;
    fields: Obj & { project?: Obj; priority?: Obj; status?: Obj; summary?: string; updated?: string };
  };
  user?: Obj;
  changelog?: Obj;
  comment?: Obj & { author?: Obj; updateAuthor?: Obj };
}

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress' },
  done: { id: 3, key: 'done', name: 'Done' },
} as const;

export interface JiraWebhookOptions {
  readonly id: string;
  readonly key: string;
  readonly project?: string;
  readonly summary?: string;
  readonly priority?: 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';
  readonly category?: keyof typeof CATEGORY;
  /** The account that made the change (`user.accountId`). */
  readonly accountId?: string;
  readonly timestamp?: number;
  /** Changelog items by field id; `[]` for none. */
  readonly changed?: readonly string[];
  readonly comment?: {
    readonly id: string;
    readonly body: string;
    readonly jsdPublic?: boolean;
    readonly author?: string;
  };
}

/**
 * A real Jira Cloud webhook (test/fixtures/jira/<fixture>.json, captured payloads) with the
 * fields a test cares about replaced; everything else stays as Jira sent it.
 */
export function jiraWebhook(fixture: string, o: JiraWebhookOptions): JiraWebhookBody {
  const body = JSON.parse(
    readFileSync(new URL(`../fixtures/jira/${fixture}.json`, import.meta.url), 'utf8'),
  ) as JiraWebhookBody;
  const project = o.project ?? o.key.split('-')[0]!;
  body.issue.id = o.id;
  body.issue.key = o.key;
  body.issue.fields.project = { ...body.issue.fields.project, key: project, name: project };
  body.issue.fields.components = [];
  if (o.summary) body.issue.fields.summary = o.summary;
  if (o.priority) body.issue.fields.priority = { ...body.issue.fields.priority, name: o.priority };
  if (o.category)
    body.issue.fields.status = {
      ...body.issue.fields.status,
      name: CATEGORY[o.category].name,
      statusCategory: CATEGORY[o.category],
    };
  if (o.timestamp) {
    body.timestamp = o.timestamp;
    body.issue.fields.updated = new Date(o.timestamp).toISOString();
  }
  if (o.accountId && body.user) body.user = { ...body.user, accountId: o.accountId };
  if (o.changed)
    body.changelog = {
      id: String(o.timestamp ?? 1),
      items: o.changed.map((f) => ({
        field: f,
        fieldtype: 'jira',
        fieldId: f,
        from: null,
        fromString: null,
        to: null,
        toString: 'x',
      })),
    };
  if (o.comment && body.comment) {
    body.comment = { ...body.comment, id: o.comment.id, body: o.comment.body, jsdPublic: o.comment.jsdPublic ?? true };
    if (o.comment.author)
      body.comment.author = { ...body.comment.author, accountId: o.comment.author, displayName: o.comment.author };
    if (o.comment.author)
      body.comment.updateAuthor = {
        ...body.comment.updateAuthor,
        accountId: o.comment.author,
        displayName: o.comment.author,
      };
  }
  return body;
}
