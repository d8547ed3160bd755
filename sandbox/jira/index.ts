import { createHash } from 'node:crypto';
import { createSimServer, type SimServer } from '../shared/sim-server.ts';
import { createDeliverer, type Delivery } from '../servicenow/deliver.ts';
import { adfFromPlain, type AdfDoc } from './adf.ts';
import { DEFAULT_PROJECTS, STATUSES, TRANSITIONS, type ProjectConfig } from './catalogue.ts';
import type { JiraFailure } from './errors.ts';
import type { Account, Comment, Issue, IssueLink, JiraChange } from './model.ts';
import { mountJiraApi, type JiraCredential } from './routes.ts';
import { createJiraStore, JSM_INTERNAL, type Outcome } from './store.ts';
import { deliveryIdentifier, signJira, webhookBodies, type JiraWebhookEvent } from './webhook.ts';

/**
 * Jira Cloud simulator: REST v3 for issues, comments, transitions (one real workflow), remote
 * links, issue links and `search/jql`, and signed webhooks after every write. See docs/sandbox.md.
 */

export interface JiraWebhookTarget {
  /** mim-bridge's intake, e.g. `http://127.0.0.1:8080/webhooks/jira`. */
  readonly url: string;
  /** JIRA_WEBHOOK_SECRET on mim-bridge (the secret of the admin-registered webhook). */
  readonly secret: string;
  /** Events subscribed; default all three. */
  readonly events?: readonly JiraWebhookEvent[];
}

export interface JiraSimOptions {
  /**
   * Default: `OPS` (Task, Bug, Story, Incident, Post-incident review) and `ITSM`, a JSM service project
   * ([System] Incident …) whose Done requires a Resolution, which gives the site the Major incident field.
   */
  readonly projects?: readonly ProjectConfig[];
  /** The API user mim-bridge authenticates as (JIRA_EMAIL / JIRA_API_TOKEN); default `mim-bridge@example.com` / `sandbox-token`. */
  readonly integration?: ApiUser;
  /** More API users (people scripting against the simulator by hand). */
  readonly accounts?: readonly ApiUser[];
  /** Component names every project has; `fields.components` must name one of them. */
  readonly components?: readonly string[];
  readonly webhook?: JiraWebhookTarget;
  readonly now?: () => Date;
  /** Jira retries on 408, 409, 425, 429, 5xx and connection errors (docs/setup-jira.md); this many times here. Default 3. */
  readonly webhookRetries?: number;
  readonly webhookBackoffMs?: number;
}

export type ApiUser = Omit<JiraCredential, 'accountId' | 'displayName'> & Partial<Account>;

export interface JiraDeliveryMeta {
  readonly webhookEvent: JiraWebhookEvent;
  readonly issueKey: string;
  readonly accountId?: string;
}

export interface JiraPerson {
  readonly account: Account;
  createIssue(issue: {
    project?: string;
    issueType?: string;
    summary: string;
    description?: string | AdfDoc;
    priority?: string;
    labels?: string[];
    components?: string[];
  }): Issue;
  /**
   * By target status name (`In Progress`, `Done`, `To Do`) or transition id; only transitions the workflow offers from
   * the current status. `fields` fill the transition's screen (`{ resolution: { name: 'Done' } }`).
   */
  transition(key: string, to: string, fields?: Record<string, unknown>): Issue;
  comment(key: string, text: string, opts?: { readonly internal?: boolean }): Comment;
  setPriority(key: string, name: string): Issue;
  edit(key: string, fields: Record<string, unknown>): Issue;
}

export interface JiraSim extends SimServer {
  issues(): readonly Issue[];
  issue(keyOrId: string): Issue | undefined;
  links(): readonly IssueLink[];
  /** The account of an API user, by email. */
  accountFor(email: string): Account | undefined;
  act(who: { readonly as: string | Account }): JiraPerson;
  setWebhook(target: JiraWebhookTarget | undefined): void;
  readonly deliveries: readonly Delivery<JiraDeliveryMeta>[];
  webhooksIdle(): Promise<void>;
}

const RETRYABLE = (s: number) => s === 408 || s === 409 || s === 425 || s === 429 || s >= 500;
/** Cloud account ids look like `5c5f880629be9642ba529340`; derived from the name so a person keeps theirs. */
const accountIdFor = (seed: string) => createHash('sha1').update(seed).digest('hex').slice(0, 24);

export class JiraSimError extends Error {
  readonly status: number;
  readonly body: { errorMessages: readonly string[]; errors: Readonly<Record<string, string>> };
  constructor(f: JiraFailure) {
    super(`${f.status} ${[...f.errorMessages, ...Object.values(f.errors)].join('; ')}`);
    this.status = f.status;
    this.body = { errorMessages: f.errorMessages, errors: f.errors };
  }
}

export function createJiraSim(opts: JiraSimOptions = {}): JiraSim {
  const server = createSimServer('jira');
  const now = opts.now ?? (() => new Date());
  const store = createJiraStore(opts.projects ?? DEFAULT_PROJECTS, opts.components ?? [], now);
  const integration: ApiUser = opts.integration ?? {
    email: 'mim-bridge@example.com',
    apiToken: 'sandbox-token',
    displayName: 'mim-bridge',
  };
  const credentials: JiraCredential[] = [integration, ...(opts.accounts ?? [])].map((a) => ({
    ...a,
    accountId: a.accountId ?? accountIdFor(a.email),
    displayName: a.displayName ?? a.email,
  }));
  const deliverer = createDeliverer<JiraDeliveryMeta>({
    retries: opts.webhookRetries ?? 3,
    backoffMs: opts.webhookBackoffMs ?? 200,
    timeoutMs: 10_000,
    retryOn: RETRYABLE,
    attemptHeaders: (n): Record<string, string> => (n > 0 ? { 'X-Atlassian-Webhook-Retry': String(n) } : {}),
  });
  let target = opts.webhook;
  let changelogId = 10000;

  function afterWrite(change: JiraChange): void {
    if (!target) return;
    const subscribed = target.events ?? ['jira:issue_created', 'jira:issue_updated', 'comment_created'];
    for (const d of webhookBodies(server.url(), store, change, now().getTime(), () => String(changelogId++))) {
      if (!subscribed.includes(d.webhookEvent)) continue;
      const body = JSON.stringify(d.body);
      const id = deliveryIdentifier();
      deliverer.send({
        id,
        url: target.url,
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Atlassian Webhook HTTP Client',
          'X-Hub-Signature': signJira(target.secret, body),
          // Stable across this delivery's retries, new for every delivery, unique across simulator runs (mim-bridge dedupes on it).
          'X-Atlassian-Webhook-Identifier': id,
        },
        meta: {
          webhookEvent: d.webhookEvent,
          issueKey: change.issue.key,
          accountId: change.kind === 'comment_created' ? change.comment.author.accountId : change.user.accountId,
        },
      });
    }
  }

  mountJiraApi(server.app, { store, credentials, baseUrl: server.url, afterWrite });

  function settle<T>(out: Outcome<T>): T {
    if (!out.ok) throw new JiraSimError(out);
    if (out.change) afterWrite(out.change);
    return out;
  }
  const must = (key: string) => {
    const issue = store.find(key);
    if (!issue)
      throw new JiraSimError({
        ok: false,
        status: 404,
        errorMessages: ['Issue does not exist or you do not have permission to see it.'],
        errors: {},
      });
    return issue;
  };
  const adf = (d: string | AdfDoc) => (typeof d === 'string' ? adfFromPlain(d) : d);

  return {
    ...server,
    issues: () => store.all(),
    issue: (k) => store.find(k),
    links: () => store.links(),
    accountFor: (email) => credentials.find((c) => c.email === email),
    act({ as }) {
      const account: Account = typeof as === 'string' ? { accountId: accountIdFor(as), displayName: as } : as;
      return {
        account,
        createIssue: (i) =>
          settle(
            store.createIssue(
              {
                fields: {
                  project: { key: i.project ?? (opts.projects ?? DEFAULT_PROJECTS)[0]!.key },
                  issuetype: { name: i.issueType ?? 'Task' },
                  summary: i.summary,
                  ...(i.description !== undefined ? { description: adf(i.description) } : {}),
                  ...(i.priority ? { priority: { name: i.priority } } : {}),
                  ...(i.labels ? { labels: i.labels } : {}),
                  ...(i.components ? { components: i.components.map((name) => ({ name })) } : {}),
                },
              },
              account,
            ),
          ).issue,
        transition(key, to, fields) {
          const issue = must(key);
          const t = TRANSITIONS.find(
            (x) => x.from === issue.status && (x.id === to || STATUSES[x.to as keyof typeof STATUSES].name === to),
          );
          settle(store.doTransition(key, { transition: { id: t?.id ?? to }, ...(fields ? { fields } : {}) }, account));
          return issue;
        },
        comment: (key, text, o) =>
          settle(
            store.addComment(
              key,
              {
                body: adfFromPlain(text),
                ...(o?.internal ? { properties: [{ key: JSM_INTERNAL, value: { internal: true } }] } : {}),
              },
              account,
            ),
          ).comment,
        setPriority: (key, name) => {
          settle(store.editIssue(key, { fields: { priority: { name } } }, account));
          return must(key);
        },
        edit: (key, fields) => {
          settle(store.editIssue(key, { fields }, account));
          return must(key);
        },
      };
    },
    setWebhook: (t) => {
      // The same secret is the same receiver, restarted on a new port (mim-bridge binds port 0).
      if (t && target && t.secret === target.secret) deliverer.repoint(t.url);
      target = t;
    },
    deliveries: deliverer.deliveries,
    webhooksIdle: () => deliverer.idle(),
    close: async () => {
      deliverer.close();
      await server.close();
    },
  };
}
