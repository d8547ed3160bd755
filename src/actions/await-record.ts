import { ConnectorError, type ConnectorVendor } from '../connectors/connector-error.ts';
import type { MajorIncident } from '../domain/major-incident.ts';
import type { ActionResult } from '../domain/action.ts';

/**
 * One queue per target runs in parallel, so a step can run before the record it writes to
 * exists (a storm's children attach before the Jira issue is created; the declared work note
 * races `servicenow.create_incident`). Such a step waits, retried with the queue's backoff,
 * for as long as the record can still be expected; then it is skipped and says why.
 */
export const RECORD_WAIT_MS = 15 * 60_000;

export function waitForRecord(
  vendor: ConnectorVendor,
  mi: MajorIncident,
  what: string,
  expected: boolean,
  now = Date.now(),
): ActionResult {
  const since = Date.parse(mi.declaredAt ?? mi.createdAt);
  if (expected && now - since < RECORD_WAIT_MS) {
    throw new ConnectorError({ code: 'DEPENDENCY_PENDING', vendor, retryable: true, detail: `waiting for ${what}` });
  }
  return { detail: { skipped: `no ${what} for this major incident` } };
}
