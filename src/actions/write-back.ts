import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionJob } from '../domain/action.ts';
import { WRITE_BACK_PREFIX } from '../orchestrator/our-notes.ts';

/** Where a message went, as the note names it: never a webhook URL, only names people know. */
function where(job: ActionJob): string {
  switch (job.target) {
    case 'slack':
      return `Slack ${job.channel ?? ''}`.trim();
    // The channel of a Teams job is the env var NAME that holds the webhook URL: not for a ticket.
    case 'teams':
      return 'Teams';
    case 'email':
      return `email ${(job.channel ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .join(', ')}`.trim();
    default:
      return job.target;
  }
}

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

/**
 * `mim-bridge sent "Major incident: Payroll down (P1)" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`.
 */
export function writeBackText(job: ActionJob, title: string, audienceName: string | undefined, at: Date): string {
  const whom = audienceName ?? job.audience;
  return `${WRITE_BACK_PREFIX}"${title}" to ${whom ? `${whom} (${where(job)})` : where(job)} at ${hhmm(at)} UTC`;
}

/**
 * The note that tells the source ticket what was sent: a ServiceNow work note, or a Jira internal
 * comment, on the origin record only (the service desk's own record; the counterpart's readers,
 * the resolvers, are told on their own channels, and a note per message there would be noise).
 * Its id derives from the notify job (effect, round, step, target, channel), so a retried
 * notify writes back once. Pure.
 */
export function writeBackJob(mi: MajorIncident, job: ActionJob, text: string): ActionJob {
  const base = {
    majorIncidentId: mi.id,
    effect: 'sent',
    step: job.step,
    round: job.round,
    channel: `${job.effect}/${job.target}/${job.channel ?? ''}`,
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
  return [writeBackJob(mi, job, writeBackText(job, title, audienceName, at))];
}
