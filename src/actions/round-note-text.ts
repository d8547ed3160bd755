import { ConnectorError, type ConnectorVendor } from '../connectors/connector-error.ts';
import type { TimelineEntry } from '../domain/major-incident.ts';
import {
  RoundManifest,
  roundNoteText,
  roundOutcomes,
  roundPlanText,
  roundSettled,
} from '../orchestrator/round-note.ts';

/** What an executor needs to write a round's note on its origin ticket (orchestrator/round-note.ts). */
export interface RoundNoteDeps {
  /**
   * The major incident's timeline, where a round's receipts and dead letters are. Without it a
   * round note lists who the round was for, without what became of each message.
   */
  readonly timeline?: (id: string) => Promise<readonly TimelineEntry[]>;
  /** Whether a target has an action worker here; a round's message to one that has not never settles. */
  readonly sendable?: (target: string) => boolean;
  readonly now?: () => Date;
}

/**
 * The text of a round's note, or why none is written: a manifest that does not parse, or a round
 * none of whose messages any process here sends (its targets are not configured: a note would
 * only say that nobody was told, on every round). Throws DEPENDENCY_PENDING (retried with the
 * queue's backoff) while the round has not settled. The same for every origin system: only the
 * write (a ServiceNow work note, a Jira internal comment) differs.
 */
export async function roundNoteFor(
  deps: RoundNoteDeps,
  vendor: ConnectorVendor,
  manifestText: string,
  majorIncidentId: string,
): Promise<string | { readonly skipped: string }> {
  let manifest: RoundManifest;
  try {
    manifest = RoundManifest.parse(JSON.parse(manifestText));
  } catch {
    return { skipped: 'not a round manifest' };
  }
  if (!deps.timeline) return roundPlanText(manifest);
  const outcomes = roundOutcomes(manifest, await deps.timeline(majorIncidentId), deps.sendable);
  if (!roundSettled(outcomes, (deps.now?.() ?? new Date()).getTime()))
    throw new ConnectorError({
      code: 'DEPENDENCY_PENDING',
      vendor,
      retryable: true,
      detail: "waiting for the round's messages",
    });
  if (outcomes.every((o) => o.kind === 'unsendable')) return { skipped: 'no message of the round can be sent here' };
  return roundNoteText(manifest.template, outcomes);
}
