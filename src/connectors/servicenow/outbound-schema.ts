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
