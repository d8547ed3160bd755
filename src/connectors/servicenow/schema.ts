import { z } from 'zod';

/**
 * ServiceNow Table API JSON: every value is a string. Reference (and, with
 * `sysparm_display_value=all`, every) field may instead be `{value, link}` or
 * `{value, display_value}`.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */
export const SnField = z.union([
  z.string(),
  z.looseObject({
    value: z.string().optional(),
    display_value: z.string().optional(),
    link: z.string().optional(),
  }),
]);
export type SnField = z.infer<typeof SnField>;

/** `sys_updated_on` in the Table API's default format: `YYYY-MM-DD HH:mm:ss`, always UTC. */
const SN_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function snDateTimeToIso(text: string): string {
  return `${text.replace(' ', 'T')}Z`;
}

const isoUtc = z.iso.datetime();

const SnDateTime = z
  .string()
  .regex(SN_DATETIME, { error: 'expected YYYY-MM-DD HH:mm:ss (UTC)', abort: true })
  // The regex lets 2024-02-30 through; the ISO check does not.
  .refine((s) => isoUtc.safeParse(snDateTimeToIso(s)).success, 'not a calendar date and time');

const optionalField = SnField.optional();

/**
 * `sys_id` is a 32-character GUID on every table; it becomes part of Redis key names, so a
 * longer one is refused (400 naming the field) rather than stored. Length only: test and
 * imported records do not always use hex.
 */
export const SYS_ID_MAX = 32;
/** `sys_mod_count` is an integer count; it is part of the delivery id. */
const MOD_COUNT_MAX = 12;

/** The incident columns we read; instance-specific `u_*`/`x_*` columns pass through untouched. */
export const SnIncidentRecord = z.looseObject({
  sys_id: z.string().min(1).max(SYS_ID_MAX),
  sys_updated_on: SnDateTime,
  sys_mod_count: z.string().max(MOD_COUNT_MAX).optional(),
  sys_updated_by: optionalField,
  number: optionalField,
  short_description: optionalField,
  description: optionalField,
  state: optionalField,
  impact: optionalField,
  urgency: optionalField,
  priority: optionalField,
  major_incident_state: optionalField,
  business_service: optionalField,
  cmdb_ci: optionalField,
  assignment_group: optionalField,
  assigned_to: optionalField,
  caller_id: optionalField,
  comments: optionalField,
  work_notes: optionalField,
});
export type SnIncidentRecord = z.infer<typeof SnIncidentRecord>;

/**
 * Our own envelope, sent by the business rule we ship: the record plus what the rule knows
 * (the operation, the changed columns). ServiceNow itself defines no webhook format.
 */
export const SnWrappedDelivery = z.looseObject({
  event: z.string().optional(),
  record: SnIncidentRecord,
  changed: z.array(z.string()).optional(),
});
export type SnWrappedDelivery = z.infer<typeof SnWrappedDelivery>;
