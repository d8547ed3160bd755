import { createHmac } from 'node:crypto';
import type { JournalField } from './choices.ts';
import type { IncidentTable, Write } from './table.ts';

/**
 * The body and signature of integrations/servicenow/mim-bridge-business-rule.js: the rule's
 * PLAIN columns as strings, its REFERENCES as `{value, display_value}`, the newest journal text,
 * the event (`insert|update|comment|work_note`), and `X-MIM-Signature: sha256=<base64 HMAC>`
 * over the ASCII-escaped JSON.
 */

const PLAIN = [
  'sys_id',
  'number',
  'short_description',
  'description',
  'state',
  'impact',
  'urgency',
  'priority',
  'major_incident_state',
  'correlation_id',
  'close_code',
  'close_notes',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
] as const;
const REFERENCES = [
  'business_service',
  'cmdb_ci',
  'assignment_group',
  'assigned_to',
  'caller_id',
  'parent_incident',
] as const;
const SYSTEM: ReadonlySet<string> = new Set(['sys_updated_on', 'sys_updated_by', 'sys_mod_count']);

/**
 * The rule's filter (its Condition and SENT_ON): an update is sent only when one of these changed;
 * an insert always is. With `x_mim.services` set, only records whose business service or CI is
 * named there (trimmed, case-insensitive) are sent.
 */
export const SENT_ON: ReadonlySet<string> = new Set([
  'priority',
  'state',
  'assignment_group',
  'major_incident_state',
  'business_service',
  'cmdb_ci',
  'work_notes',
  'comments',
]);

export function sentByRule(table: IncidentTable, write: Write, services: readonly string[] = []): boolean {
  if (write.operation !== 'insert' && !write.changed.some((f) => SENT_ON.has(f))) return false;
  const listed = new Set(services.map((s) => s.trim().toLowerCase()).filter(Boolean));
  if (!listed.size) return true;
  const name = (field: string) => table.displayOf(field, write.record[field] ?? '').toLowerCase();
  return listed.has(name('business_service')) || listed.has(name('cmdb_ci'));
}

export type SnWebhookEvent = 'insert' | 'update' | 'comment' | 'work_note';
export interface SnWebhookBody {
  readonly event: SnWebhookEvent;
  readonly changed: string[];
  readonly record: Record<string, string | { value: string; display_value: string }>;
}

export function webhookBody(table: IncidentTable, write: Write): SnWebhookBody {
  const { record } = write;
  const changedSet = new Set(write.changed);
  const changed: string[] = [];
  const out: SnWebhookBody['record'] = {};
  let meaningful = 0;
  for (const name of PLAIN) {
    out[name] = record[name] ?? '';
    if (changedSet.has(name)) {
      changed.push(name);
      if (!SYSTEM.has(name)) meaningful += 1;
    }
  }
  for (const name of REFERENCES) {
    const value = record[name] ?? '';
    out[name] = { value, display_value: table.displayOf(name, value) };
    if (changedSet.has(name)) {
      changed.push(name);
      meaningful += 1;
    }
  }
  const note = (field: JournalField) => write.journal[field]?.replace(/\s+$/, '');
  const comment = note('comments');
  const workNote = note('work_notes');
  if (comment !== undefined) {
    out.comments = comment;
    changed.push('comments');
  }
  if (workNote !== undefined) {
    out.work_notes = workNote;
    changed.push('work_notes');
  }
  let event: SnWebhookEvent = 'update';
  if (write.operation === 'insert') event = 'insert';
  else if (meaningful === 0 && comment !== undefined && workNote === undefined) event = 'comment';
  else if (meaningful === 0 && workNote !== undefined && comment === undefined) event = 'work_note';
  return { event, changed, record: out };
}

/** The rule's asciiJson: non-ASCII as \uXXXX, so the signed bytes are the sent bytes. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export const signServicenow = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
