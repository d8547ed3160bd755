import { z } from 'zod';
import { SnField } from './schema.ts';

/**
 * Table API answers we read after a write or a query: `{"result": {...}}` for one record,
 * `{"result": [...]}` for a query. Unknown columns pass through.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */
export const SnOutboundRecord = z.looseObject({
  sys_id: z.string().min(1),
  number: SnField.optional(),
  state: SnField.optional(),
  major_incident_state: SnField.optional(),
  correlation_id: SnField.optional(),
  parent_incident: SnField.optional(),
  sys_updated_on: SnField.optional(),
});
export type SnOutboundRecord = z.infer<typeof SnOutboundRecord>;

export const SnSingleResult = z.looseObject({ result: SnOutboundRecord });
export const SnListResult = z.looseObject({ result: z.array(SnOutboundRecord) });

/** Columns to write, by column name. Every Table API value is a string; references are sys_ids. */
export type SnFields = Readonly<Record<string, string>>;

export const ServicenowOutboundConfig = z.object({
  /** Instance URL without path: `https://example.service-now.com`. */
  baseUrl: z.url(),
  username: z.string().min(1),
  password: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type ServicenowOutboundConfig = z.input<typeof ServicenowOutboundConfig>;

/** The plain value of a read field: the string, or a reference's `value`. */
export function snValue(field: SnField | undefined): string {
  if (field === undefined) return '';
  return typeof field === 'string' ? field : (field.value ?? '');
}

/**
 * A row read with `sysparm_display_value=all`: every column is `{value, display_value}` (the
 * stored value and the label people see), so a reference keeps both its sys_id and its name.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */
export const SnDisplayRow = z.record(z.string(), SnField);
export type SnDisplayRow = z.infer<typeof SnDisplayRow>;
export const SnDisplayRowList = z.looseObject({ result: z.array(SnDisplayRow) });
export const SnDisplayRowSingle = z.looseObject({ result: SnDisplayRow });

/**
 * The columns the shipped business rule sends (integrations/servicenow), journals left out: they read back as the whole
 * history.
 */
export const SN_RECORD_FIELDS = [
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
  'business_service',
  'cmdb_ci',
  'assignment_group',
  'assigned_to',
  'caller_id',
  'parent_incident',
] as const;

/** One page of the reconciliation sweep: rows updated at or after `since` (UTC `YYYY-MM-DD HH:mm:ss`). */
export interface SnSweepPage {
  readonly since: string;
  readonly limit: number;
  readonly offset: number;
}
