import type { SweptPosition } from '../capabilities.ts';
import type { NormalizeResult } from '../inbound-source.ts';
import { normalizeServicenow } from './inbound.ts';
import type { SnDisplayRow } from './outbound-schema.ts';

/** The vendor event a read-back record carries, so the timeline tells it from a webhook. */
export const SN_RECONCILE_EVENT = 'reconcile';

/**
 * Columns the normalizer needs as plain strings; every other column keeps `{value, display_value}`, which it reads as
 * the webhook's references.
 */
const PLAIN = ['sys_id', 'sys_updated_on', 'sys_mod_count'] as const;

const JOURNALS = ['comments', 'work_notes'] as const;

const plain = (field: SnDisplayRow[string] | undefined): string | undefined =>
  field === undefined ? undefined : typeof field === 'string' ? field : field.value;

/**
 * A row read with `sysparm_display_value=all` → the record the business rule would have sent,
 * through the webhook's own normalizer. The delivery id is therefore the webhook's
 * (`sys_id@sys_mod_count`), so a row whose webhook did arrive is a duplicate at intake.
 */
export function servicenowRowToEvent(row: SnDisplayRow, receivedAt: Date): NormalizeResult {
  const record: Record<string, unknown> = { ...row };
  // A journal reads back as its whole history; posting that as a new comment would repeat it all.
  for (const journal of JOURNALS) delete record[journal];
  for (const name of PLAIN) {
    const value = plain(row[name]);
    if (value === undefined) delete record[name];
    else record[name] = value;
  }
  return normalizeServicenow(
    { event: SN_RECONCILE_EVENT, record },
    { rawBody: Buffer.alloc(0), headers: {}, receivedAt },
  );
}

/** Where a row sits for the sweep cursor; undefined when it lacks the two columns the cursor needs. */
export function sweptRow(row: SnDisplayRow): SweptPosition | undefined {
  const sysId = plain(row.sys_id);
  const at = plain(row.sys_updated_on);
  if (!sysId || !at) return undefined;
  return { at, key: `${sysId}@${plain(row.sys_mod_count) ?? at}` };
}
