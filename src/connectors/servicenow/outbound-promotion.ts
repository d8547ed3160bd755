import type { SnFields } from './outbound-schema.ts';

/**
 * The who/when columns ServiceNow's own Propose and Promote (Accept) actions fill when they move
 * `major_incident_state` (Major Incident Management plugin): "Proposed by" / "Proposed" and
 * "Promoted by" / "Promoted" on the incident form's Major Incident tab, a `sys_user` reference and
 * a date-time each. A Table API write of `major_incident_state` alone runs no UI action, so the
 * record would show a major incident that nobody proposed or promoted; we write the pair with it.
 * https://www.servicenow.com/docs/r/australia/it-service-management/incident-management/view-major-info.html
 */
export const SN_PROMOTION_COLUMNS = {
  proposed: { by: 'proposed_by', on: 'proposed_on' },
  accepted: { by: 'promoted_by', on: 'promoted_on' },
} as const satisfies Record<string, { by: string; on: string }>;

export type SnPromotionState = keyof typeof SN_PROMOTION_COLUMNS;

const isPromotion = (state: string | undefined): state is SnPromotionState =>
  state !== undefined && Object.hasOwn(SN_PROMOTION_COLUMNS, state);

/** A date-time as the Table API stores it: `YYYY-MM-DD HH:mm:ss`, UTC (as `sys_updated_on` reads back). */
export function snDateTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Pure: the who/when columns to write with `fields`, or none. Only a move sets them: writing
 * `accepted` again on an accepted record keeps the time it was promoted, as the UI action (which
 * is not offered on an accepted record) would.
 */
export function promotionFields(fields: SnFields, current: string | undefined, userSysId: string, at: Date): SnFields {
  const next = fields.major_incident_state;
  if (!isPromotion(next) || next === current) return {};
  const { by, on } = SN_PROMOTION_COLUMNS[next];
  return { [by]: userSysId, [on]: snDateTime(at) };
}

/** Whether a write moves the record into a state that needs the who/when columns. */
export const needsPromotionFields = (fields: SnFields): boolean => isPromotion(fields.major_incident_state);
