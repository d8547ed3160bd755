import { createHash } from 'node:crypto';
import { invalidInput, type ConnectorVendor } from '../connector-error.ts';

/**
 * Vendor-side idempotency markers derive from our major incident id. The id must be safe in every
 * place it lands (a ServiceNow encoded query, where `^` separates terms; a JQL string; a Jira
 * label, which cannot hold spaces; a Message-ID), so only this alphabet is accepted.
 */
export const MARKER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function assertMarker(vendor: ConnectorVendor, id: string): string {
  if (!MARKER_PATTERN.test(id)) throw invalidInput(vendor, `marker must match ${MARKER_PATTERN.source}`);
  return id;
}

/**
 * The id itself when it fits the vendor's field, else a digest of it: deterministic, so a retry
 * finds the same key, and never a truncation (two long ids sharing a prefix would collide).
 */
export function boundedKey(id: string, maxLength: number): string {
  if (id.length <= maxLength) return id;
  return `sha256-${createHash('sha256').update(id).digest('hex')}`.slice(0, maxLength);
}

/** Cuts text to `max` characters (code points, so no surrogate pair is split), ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
