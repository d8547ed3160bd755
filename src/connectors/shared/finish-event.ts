import { IncidentEvent } from '../../domain/incident-event.ts';
import { wellFormed } from '../../domain/well-formed.ts';
import type { NormalizeResult } from '../inbound-source.ts';
import { toPayloadIssues } from './zod-issues.ts';

/**
 * Last step of every normalizer: every string made well-formed (a lone surrogate would poison
 * the record in Redis's Lua, see well-formed.ts), then the candidate must be a valid
 * IncidentEvent, else `invalid` with paths. `timePath` names the payload field `updatedAt`
 * came from, so a refusal of the time can name what the sender sent.
 */
export function finishEvent(candidate: IncidentEvent, timePath?: string): NormalizeResult {
  const checked = IncidentEvent.safeParse(wellFormed(candidate));
  if (!checked.success) return { kind: 'invalid', issues: toPayloadIssues(checked.error) };
  return timePath === undefined
    ? { kind: 'event', event: checked.data }
    : { kind: 'event', event: checked.data, timePath };
}
