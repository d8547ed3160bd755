import { finishEvent } from '../shared/finish-event.ts';
import { createHash } from 'node:crypto';
import { verifySignatureHeader } from '../shared/hmac.ts';
import { toPayloadIssues } from '../shared/zod-issues.ts';
import type { Comment, EventKind } from '../../domain/incident-event.ts';
import type { InboundRequest, NormalizeResult } from '../inbound-source.ts';
import {
  JIRA_EVENT_KINDS,
  JIRA_ISSUE_EVENT_KINDS,
  JIRA_PRIORITIES,
  JIRA_STATUS_CATEGORIES,
  lookup,
} from './mapping.ts';
import { JiraEnvelope, JiraWebhook, type JiraComment, type JiraUser } from './schema.ts';

/** Admin-registered webhooks with a secret sign the raw body: `X-Hub-Signature: sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-hub-signature';
/**
 * Stable across Jira's retries (secondary source), but outside the signature: anyone holding one
 * signed body could send it again under a new identifier. Logged only; see deliveryIdOf.
 */
export const DELIVERY_HEADER = 'x-atlassian-webhook-identifier';
const SCHEME = 'sha256=';

export function verifyJira(req: InboundRequest, secrets: readonly string[]): boolean {
  return verifySignatureHeader(req.headers[SIGNATURE_HEADER], SCHEME, req.rawBody, secrets);
}

const bodyDigest = (req: InboundRequest) => `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;

/**
 * The duplicate key, from the signed body only. Jira's body carries no event id, but the event
 * is named by what changed: the issue, the changelog entry (one per edit) or the comment, the
 * event name and its time. A retry of the event carries the same ones, so it is a duplicate even
 * if Jira re-renders the issue's fields; anything else is identified by its exact bytes.
 */
function deliveryIdOf(w: JiraWebhook, updatedAt: string, req: InboundRequest): string {
  const changelog = w.changelog?.id ?? undefined;
  const comment = w.comment?.id ?? undefined;
  const identified =
    changelog !== undefined ||
    comment !== undefined ||
    w.webhookEvent === 'jira:issue_created' ||
    w.webhookEvent === 'jira:issue_deleted';
  if (!identified) return bodyDigest(req);
  const parts = [
    w.webhookEvent.replace(/^jira:/, ''),
    w.issue.id,
    ...(changelog !== undefined ? [`changelog-${changelog}`] : []),
    ...(comment !== undefined ? [`comment-${comment}`] : []),
  ];
  return `${parts.join('.')}@${Date.parse(updatedAt)}`;
}

function userId(user: JiraUser | null | undefined): string | undefined {
  return user?.accountId || user?.name || user?.key || undefined;
}

function toComment(c: JiraComment): Comment {
  return {
    id: c.id ?? undefined,
    // Shown to people; `updatedBy` carries the account id that provenance checks use.
    author: c.author?.displayName || userId(c.author),
    body: c.body ?? '',
    visibility: c.jsdPublic === false || c.visibility ? 'internal' : 'public',
  };
}

export function normalizeJira(body: unknown, req: InboundRequest): NormalizeResult {
  const envelope = JiraEnvelope.safeParse(body);
  if (!envelope.success) return { kind: 'invalid', issues: toPayloadIssues(envelope.error) };
  const eventKind = lookup(JIRA_EVENT_KINDS, envelope.data.webhookEvent);
  if (!eventKind)
    return {
      kind: 'ignored',
      deliveryId: bodyDigest(req),
      reason: `unhandled webhookEvent ${envelope.data.webhookEvent}`,
    };

  const parsed = JiraWebhook.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: toPayloadIssues(parsed.error) };
  const w = parsed.data;
  const isCommentEvent = eventKind.startsWith('comment.');
  if (isCommentEvent && !w.comment)
    return { kind: 'invalid', issues: [{ path: 'comment', message: 'comment events carry a comment' }] };
  const updatedAt = w.timestamp ?? w.issue.fields?.updated;
  if (!updatedAt)
    return {
      kind: 'invalid',
      issues: [{ path: 'timestamp', message: 'neither timestamp nor issue.fields.updated given' }],
    };
  const timePath = w.timestamp ? 'timestamp' : 'issue.fields.updated';

  const commentKind = w.comment ? lookup(JIRA_ISSUE_EVENT_KINDS, w.issue_event_type_name) : undefined;
  const kind: EventKind = eventKind === 'incident.updated' && commentKind ? commentKind : eventKind;
  const fields = w.issue.fields;
  const author = w.comment?.updateAuthor ?? w.comment?.author;
  return finishEvent(
    {
      source: 'jira',
      deliveryId: deliveryIdOf(w, updatedAt, req),
      kind,
      vendorEvent: w.webhookEvent,
      recordId: w.issue.id,
      number: w.issue.key ?? undefined,
      title: fields?.summary ?? undefined,
      description: fields?.description ?? undefined,
      priority: lookup(JIRA_PRIORITIES, fields?.priority?.name),
      state: lookup(JIRA_STATUS_CATEGORIES, fields?.status?.statusCategory?.key),
      serviceName: fields?.components?.find((c) => c.name)?.name ?? fields?.project?.key ?? undefined,
      assignmentGroup: fields?.assignee?.displayName ?? undefined,
      caller: fields?.reporter?.displayName ?? undefined,
      updatedAt,
      // Comment events have no `user`; the comment's own author is who acted.
      updatedBy: isCommentEvent ? userId(author) : userId(w.user),
      // By id, never by display name or value: a renamed field keeps its id (Data Center may omit it).
      changedFields: (w.changelog?.items ?? []).map((i) => i.fieldId || i.field).filter((f): f is string => !!f),
      comment: w.comment ? toComment(w.comment) : undefined,
      receivedAt: req.receivedAt.toISOString(),
    },
    timePath,
  );
}
