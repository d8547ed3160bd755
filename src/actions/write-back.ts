import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';
import { WRITE_BACK_PREFIX } from '../orchestrator/our-notes.ts';
import { deliveryId, RECEIPT_PREFIX, where } from '../orchestrator/round-note.ts';

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

/** `"Major incident: Payroll down (P1)" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`. */
export function sentLine(job: ActionJob, title: string, audienceName: string | undefined, at: Date): string {
  const whom = audienceName ?? job.audience;
  return `"${title}" to ${whom ? `${whom} (${where(job)})` : where(job)} at ${hhmm(at)} UTC`;
}

/**
 * `mim-bridge sent "Major incident: Payroll down (P1)" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`.
 */
export function writeBackText(job: ActionJob, title: string, audienceName: string | undefined, at: Date): string {
  return `${WRITE_BACK_PREFIX}${sentLine(job, title, audienceName, at)}`;
}

/**
 * What a sent message leaves behind: a receipt, as a follow-up job whose id derives from the
 * notify job (effect, round, step, target, channel), so a retried notify leaves it once. Its
 * channel names the message's job id. It writes nothing to the ticket: it puts the sent line on
 * the timeline, where the round's one note reads it (orchestrator/round-note.ts).
 *
 * The receipt goes to the worker of the origin's system (a `servicenow.work_note` job for a
 * ServiceNow-origin major incident, a `jira.comment` job for a Jira-origin one), the system whose
 * worker writes the round's note: a receipt for a system with no worker here would be dropped.
 * Only the origin record gets the note: the service desk's own record; the counterpart's readers,
 * the resolvers, are told on their own channels. Pure.
 */
export function writeBackJob(mi: MajorIncident, job: ActionJob, text: string): ActionJob {
  const base = {
    majorIncidentId: mi.id,
    effect: 'sent',
    step: job.step,
    round: job.round,
    channel: `${RECEIPT_PREFIX}${deliveryId(job)}`,
    params: { text, visibility: 'internal' as const },
  };
  return mi.origin.source === 'jira'
    ? { ...base, do: 'jira.comment', target: 'jira' }
    : { ...base, do: 'servicenow.work_note', target: 'servicenow' };
}

/**
 * The write-back of a message to an audience, as follow-up jobs. A message to one person (a
 * timer's reminder or escalation: no audience) is the process talking to itself, not a
 * communication, and is not written back.
 */
export function writeBack(
  mi: MajorIncident,
  job: ActionJob,
  title: string,
  audienceName: string | undefined,
  at: Date,
): ActionJob[] {
  if (!job.audience) return [];
  return [writeBackJob(mi, job, sentLine(job, title, audienceName, at))];
}
