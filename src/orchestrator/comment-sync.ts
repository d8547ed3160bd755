import { createHash } from 'node:crypto';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';
import { isOurNoteText } from './our-notes.ts';

const SOURCE_LABEL = { servicenow: 'ServiceNow', jira: 'Jira', pagerduty: 'PagerDuty' } as const;

/**
 * One comment, whichever delivery carried it: the source, the record and the comment's id (a
 * ServiceNow journal entry has none; its delivery id, `sys_id@sys_mod_count`, names it). Jira
 * sends a comment as `comment_created` and as `jira:issue_updated`: both name it alike.
 */
export function commentKey(event: IncidentEvent): string {
  return `${event.source}/${event.recordId}/${event.comment?.id ?? event.deliveryId}`;
}

/**
 * The member a mirrored comment leaves in its major incident's memory (MiStore.enqueueOnce), so
 * a replayed comment is never posted twice, however long after: a digest, so the set's size
 * does not depend on what the sender wrote.
 */
export function commentMemoryMember(event: IncidentEvent): string {
  return createHash('sha256').update(commentKey(event)).digest('hex').slice(0, 32);
}

/**
 * A new comment on a record of the major incident → the same comment in the other ticketing
 * system, with its visibility kept: public ↔ ServiceNow comments / Jira public comments,
 * internal ↔ ServiceNow work notes / Jira internal comments. Visibility is never widened.
 * Pure; the job id derives from the comment, so a redelivered webhook syncs once while the job is
 * kept (24 h), and the major incident's memory of mirrored comments covers any later replay.
 */
export function commentSyncJobs(mi: MajorIncident, event: IncidentEvent): ActionJob[] {
  const comment = event.comment;
  if (!comment?.body.trim() || event.kind === 'comment.deleted') return [];
  if (event.kind === 'comment.updated') return []; // edits are not mirrored: the copy would fork from the original
  // Our marked notes (a mirrored comment, a write-back) never go round again, whoever the vendor says wrote them.
  if (isOurNoteText(comment.body)) return [];
  const who = comment.author ?? event.updatedBy ?? 'someone';
  const text = `[${SOURCE_LABEL[event.source]} ${event.number ?? event.recordId}, ${who}] ${comment.body}`;
  const base = {
    majorIncidentId: mi.id,
    effect: 'sync',
    step: 0,
    round: 0,
    channel: commentKey(event),
    params: { text, visibility: comment.visibility },
  };
  const jiraIssue = mi.links.jira ?? (mi.origin.source === 'jira' ? mi.origin : undefined);
  const snRecord = mi.origin.source === 'servicenow' ? mi.origin : mi.links.servicenow;
  if (event.source === 'servicenow' && jiraIssue) return [{ ...base, do: 'jira.comment', target: 'jira' }];
  // A major incident that started in Jira reaches ServiceNow once servicenow.create_incident made its record.
  if (event.source === 'jira' && snRecord) {
    return [
      {
        ...base,
        do: comment.visibility === 'public' ? 'servicenow.comment' : 'servicenow.work_note',
        target: 'servicenow',
      },
    ];
  }
  return [];
}
