import { createHmac, randomUUID } from 'node:crypto';
import type { JiraChange } from './model.ts';
import { renderComment, renderFields, renderStatus, renderUser } from './render.ts';
import type { JiraStore } from './store.ts';

/**
 * Webhook bodies as Jira Cloud sends them (test/fixtures/jira): `jira:issue_created`,
 * `jira:issue_updated` with `user` and `changelog`, `comment_created` with the comment and a
 * slim issue, and, as Jira does, a comment also as `jira:issue_updated` with
 * `issue_event_type_name: issue_commented`. Signed `X-Hub-Signature: sha256=<hex>`.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */

export type JiraWebhookEvent = 'jira:issue_created' | 'jira:issue_updated' | 'comment_created';
export interface JiraWebhookDelivery {
  readonly webhookEvent: JiraWebhookEvent;
  readonly body: Record<string, unknown>;
}

export function webhookBodies(
  base: string,
  store: JiraStore,
  change: JiraChange,
  at: number,
  changelogId: () => string,
): JiraWebhookDelivery[] {
  const issue = {
    id: change.issue.id,
    self: `${base}/rest/api/2/issue/${change.issue.id}`,
    key: change.issue.key,
    fields: renderFields(base, change.issue, store, 'webhook'),
  };
  const user = renderUser(base, change.user);
  switch (change.kind) {
    case 'issue_created':
      return [
        {
          webhookEvent: 'jira:issue_created',
          body: {
            timestamp: at,
            webhookEvent: 'jira:issue_created',
            issue_event_type_name: 'issue_created',
            user,
            issue,
            changelog: { id: changelogId(), items: change.items },
          },
        },
      ];
    case 'issue_updated':
      return [
        {
          webhookEvent: 'jira:issue_updated',
          body: {
            timestamp: at,
            webhookEvent: 'jira:issue_updated',
            issue_event_type_name: change.eventType,
            user,
            issue,
            changelog: { id: changelogId(), items: change.items },
          },
        },
      ];
    case 'comment_created': {
      const comment = renderComment(base, change.issue, change.comment, 'webhook');
      const f = issue.fields;
      const slim = {
        id: issue.id,
        self: issue.self,
        key: issue.key,
        fields: {
          summary: f.summary,
          issuetype: f.issuetype,
          project: f.project,
          assignee: f.assignee,
          priority: f.priority,
          status: renderStatus(base, change.issue.status),
        },
      };
      return [
        {
          webhookEvent: 'comment_created',
          body: { timestamp: at, webhookEvent: 'comment_created', comment, issue: slim },
        },
        {
          webhookEvent: 'jira:issue_updated',
          body: {
            timestamp: at,
            webhookEvent: 'jira:issue_updated',
            issue_event_type_name: 'issue_commented',
            user,
            issue,
            comment,
          },
        },
      ];
    }
  }
}

export const signJira = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
export const deliveryIdentifier = () => randomUUID();
