import { timelineEntry, type TimelineEntry } from '../../domain/major-incident.ts';
import type { DeadLetter, DeadLetters } from './dead-letters.ts';

/** Where the discard is recorded: the major incident's timeline (MiStore.appendTimeline). */
export interface TimelineWriter {
  appendTimeline(majorIncidentId: string, entries: readonly TimelineEntry[]): Promise<void>;
}

export interface DiscardRequest {
  /** Why the action will never be sent; kept on the timeline. */
  readonly reason: string;
  /** Who decided: an admin-API actor or the CLI user. */
  readonly actor: string;
}

export type DiscardResult =
  | { readonly result: 'discarded'; readonly letter: DeadLetter }
  | { readonly result: 'not_found' };

/**
 * Drops a dead letter for good and says so on its major incident's timeline (`action.discarded`
 * with the reason), so an action that was never sent is never silently gone. The admin API and
 * the CLI both discard through here. Only the caller whose remove succeeded records it, so two
 * concurrent discards write one entry.
 */
export async function discardDeadLetter(
  jobId: string,
  request: DiscardRequest,
  deadLetters: DeadLetters,
  timeline: TimelineWriter,
  now = new Date(),
): Promise<DiscardResult> {
  const letter = await deadLetters.get(jobId);
  if (!letter || !(await deadLetters.remove(jobId))) return { result: 'not_found' };
  // A malformed job's letter may carry no major incident to record on.
  const majorIncidentId = (letter.job as Partial<DeadLetter['job']> | undefined)?.majorIncidentId;
  if (typeof majorIncidentId === 'string') {
    // A person's decision, taken under no config (the CLI discards without loading one): no version.
    await timeline.appendTimeline(majorIncidentId, [
      timelineEntry({
        at: now,
        kind: 'action.discarded',
        actor: { type: 'person', id: request.actor },
        detail: { do: letter.job.do, target: letter.job.target, jobId, code: letter.code, reason: request.reason },
        configVersion: undefined,
      }),
    ]);
  }
  return { result: 'discarded', letter };
}
