import { IncidentEvent } from '../../domain/incident-event.ts';
import type { NormalizeResult } from '../inbound-source.ts';
import { toPayloadIssues } from './zod-issues.ts';

/** Last step of every normalizer: the candidate must be a valid IncidentEvent, else `invalid` with paths. */
export function finishEvent(candidate: IncidentEvent): NormalizeResult {
  const checked = IncidentEvent.safeParse(candidate);
  return checked.success ? { kind: 'event', event: checked.data } : { kind: 'invalid', issues: toPayloadIssues(checked.error) };
}
