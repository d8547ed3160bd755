import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionJob } from '../domain/action.ts';
import type { Source } from '../domain/incident-event.ts';
import type { TimelineEntry } from '../domain/major-incident.ts';
import { WRITE_BACK_PREFIX } from './our-notes.ts';

/**
 * One note per communication round (a ServiceNow work note, a Jira internal comment). A round is
 * the fan-out of one declaration or update: every `notify` job planned with one effect and round
 * number (Slack channels, Teams, email). The source ticket gets one note that lists who was told
 * what, instead of a note per message; the per-message detail stays on the timeline (each
 * message's `action.completed`, and its receipt).
 *
 * Pieces, all pure here: fan-out adds one round-note job per round, carrying the round's manifest
 * (the job id and the "who" of each planned message); each message, once sent, leaves a receipt
 * keyed by its job id (write-back.ts); the origin's executor (ServiceNow or Jira) writes the note
 * when the round has settled, from the manifest, the receipts and the dead letters on the timeline.
 * Settled means every message was sent or dead-lettered, or ROUND_SETTLE_MS passed since the first
 * of them settled: a message still being retried then shows as pending rather than holding the note back
 * for up to the retry horizon. The note job's id is deterministic (effect, round, step, channel),
 * so however often a message is retried the round has one note job, and it writes once.
 */

/** The `channel` of a round-note job: one per round, so its job id is the round's. */
export const ROUND_NOTE_CHANNEL = 'round-note';
/** The `channel` prefix of a message's receipt; the rest is the message's job id. */
export const RECEIPT_PREFIX = 'receipt/';
/** How long after the first message of a round settled the note waits for the others. */
export const ROUND_SETTLE_MS = 2 * 60_000;

/** One planned message of a round: its job id and who it tells, as people name them. */
export const RoundDelivery = z.object({
  id: z.string().min(1),
  who: z.string().min(1),
  /** The message's target (slack, teams, email): a target no process here sends to settles at once. */
  target: z.string().optional(),
});
export type RoundDelivery = z.infer<typeof RoundDelivery>;
export const RoundManifest = z.object({ template: z.string(), deliveries: z.array(RoundDelivery).min(1) });
export type RoundManifest = z.infer<typeof RoundManifest>;

/**
 * A message's job id, the one its dead letter names: the same string as queue/actions/
 * action-job-id.ts makes (which the orchestrator may not import; the round-note test checks that
 * the two agree).
 */
export function deliveryId(job: Pick<ActionJob, 'majorIncidentId' | 'effect' | 'round' | 'step' | 'do' | 'channel'>) {
  const at = job.channel ? `.${createHash('sha256').update(job.channel).digest('hex').slice(0, 12)}` : '';
  const action = job.do.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${job.majorIncidentId}.${job.effect}${job.round ? job.round : ''}.${job.step}.${action}${at}`;
}

/** Where a message went, as a note names it: never a webhook URL, only names people know. */
export function where(job: Pick<ActionJob, 'target' | 'channel'>): string {
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

/**
 * Where a round's note goes, by the system the major incident started in: the service desk's own
 * ticket. ServiceNow: a work note (internal). Jira: an internal comment (JSM's `sd.public.comment`
 * property, as every jira.comment with visibility internal is written; connectors/jira). A major
 * incident that started elsewhere (PagerDuty) has no ticket of its own to note the round on.
 */
const ROUND_NOTE_ACTION = {
  servicenow: { do: 'servicenow.work_note', target: 'servicenow' },
  jira: { do: 'jira.comment', target: 'jira' },
  pagerduty: undefined,
} as const satisfies Record<Source, { do: ActionJob['do']; target: ActionJob['target'] } | undefined>;

/**
 * The round-note jobs for fan-out's jobs: one per effect that has `notify` jobs, after them, on
 * the origin's ticketing system. The manifest travels as the note job's `text` (JSON), the only
 * free-text parameter a note job has; the executor reads it back with RoundManifest.
 *
 * When the caller does not say where the major incident started, the round gets a note job for
 * each ticketing system, and each executor writes only on a major incident that started in its
 * own (the other skips it): still one note per round, at the cost of one job that does nothing.
 */
export function roundNoteJobs(
  jobs: readonly ActionJob[],
  audienceNames: ReadonlyMap<string, string>,
  origin?: Source,
): ActionJob[] {
  const byEffect = new Map<string, ActionJob[]>();
  for (const job of jobs)
    if (job.do === 'notify' && job.audience) byEffect.set(job.effect, [...(byEffect.get(job.effect) ?? []), job]);
  const actions =
    origin === undefined
      ? [ROUND_NOTE_ACTION.servicenow, ROUND_NOTE_ACTION.jira]
      : [ROUND_NOTE_ACTION[origin]].filter((a) => a !== undefined);
  return [...byEffect.values()].flatMap((notify) => {
    const first = notify[0]!;
    const manifest: RoundManifest = {
      template: first.do === 'notify' ? (first.params.template ?? 'update') : 'update',
      deliveries: notify.map((job) => ({
        id: deliveryId(job),
        who: `${audienceNames.get(job.audience ?? '') ?? job.audience} (${where(job)})`,
        target: job.target,
      })),
    };
    return actions.map(
      (action): ActionJob => ({
        majorIncidentId: first.majorIncidentId,
        ...action,
        effect: first.effect,
        step: first.step,
        round: first.round,
        channel: ROUND_NOTE_CHANNEL,
        params: { text: JSON.stringify(manifest), visibility: 'internal' },
      }),
    );
  });
}

export type RoundOutcome =
  | { readonly who: string; readonly kind: 'sent'; readonly line: string; readonly at: string }
  | { readonly who: string; readonly kind: 'failed'; readonly code: string; readonly at: string }
  | { readonly who: string; readonly kind: 'pending' }
  /** Its target has no action worker (not configured): the outbox relay drops it, so it never settles. */
  | { readonly who: string; readonly kind: 'unsendable'; readonly target: string };

/** Each planned message's outcome, from its receipt or dead letter on the timeline. */
export function roundOutcomes(
  manifest: RoundManifest,
  timeline: readonly TimelineEntry[],
  sendable: (target: string) => boolean = () => true,
): RoundOutcome[] {
  const sent = new Map<string, TimelineEntry>();
  const failed = new Map<string, TimelineEntry>();
  for (const e of timeline) {
    const channel = typeof e.detail.channel === 'string' ? e.detail.channel : '';
    if (e.kind === 'action.completed' && channel.startsWith(RECEIPT_PREFIX))
      sent.set(channel.slice(RECEIPT_PREFIX.length), e);
    else if (e.kind === 'action.dead_lettered' && e.detail.do === 'notify' && typeof e.detail.jobId === 'string')
      failed.set(e.detail.jobId, e);
  }
  return manifest.deliveries.map(({ id, who, target }): RoundOutcome => {
    if (target !== undefined && !sendable(target)) return { who, kind: 'unsendable', target };
    const receipt = sent.get(id);
    if (receipt) return { who, kind: 'sent', line: String(receipt.detail.line ?? ''), at: receipt.at };
    const letter = failed.get(id);
    if (letter) return { who, kind: 'failed', code: String(letter.detail.code ?? 'FAILED'), at: letter.at };
    return { who, kind: 'pending' };
  });
}

/** Whether to write now: nothing pending, or ROUND_SETTLE_MS since the round's first message settled. */
export function roundSettled(outcomes: readonly RoundOutcome[], now: number): boolean {
  if (outcomes.every((o) => o.kind !== 'pending')) return true;
  const settledAt = outcomes.flatMap((o) => (o.kind === 'sent' || o.kind === 'failed' ? [Date.parse(o.at)] : []));
  return settledAt.length > 0 && now - Math.min(...settledAt) >= ROUND_SETTLE_MS;
}

/**
 * The note: a first line that counts, then one line per message. It starts as every write-back
 * does (WRITE_BACK_PREFIX), so its echo is never read as a person's words.
 */
export function roundNoteText(template: string, outcomes: readonly RoundOutcome[]): string {
  const sent = outcomes.filter((o) => o.kind === 'sent').length;
  const lines = outcomes.map((o) => {
    if (o.kind === 'sent') return `- ${o.line}`;
    if (o.kind === 'failed') return `- not sent to ${o.who}: failed (${o.code})`;
    if (o.kind === 'unsendable') return `- not sent to ${o.who}: ${o.target} is not configured`;
    return `- not yet sent to ${o.who}: still being retried`;
  });
  return [`${WRITE_BACK_PREFIX}the ${template} messages of this round (${sent} of ${outcomes.length}):`, ...lines].join(
    '\n',
  );
}

/** The note when the outcomes cannot be read (no timeline reader): who the round was for. */
export function roundPlanText(manifest: RoundManifest): string {
  return [
    `${WRITE_BACK_PREFIX}the ${manifest.template} messages of this round to (each one's outcome is on the timeline):`,
    ...manifest.deliveries.map((d) => `- ${d.who}`),
  ].join('\n');
}
