import { createHash } from 'node:crypto';

/**
 * What ServiceNow's Propose and Promote actions (Major Incident Management) set with
 * `major_incident_state`: "Proposed by"/"Proposed" and "Promoted by"/"Promoted".
 * https://www.servicenow.com/docs/r/australia/it-service-management/incident-management/view-major-info.html
 *
 * A person in the simulator (`act`) works through those actions, so the instance fills the pair.
 * A Table API write runs no UI action: a real instance takes `major_incident_state` alone and
 * leaves the Major Incident tab saying nobody proposed or promoted it. The simulator takes such a
 * write too and records it as a violation (`promotionViolations()`), so a test fails on it; with
 * `promotionPolicy: 'reject'` it answers 403 instead, as an instance whose admins added a data
 * policy making the pair mandatory does.
 */
export const PROMOTION_COLUMNS: Readonly<Record<string, { by: string; on: string; labels: string }>> = {
  proposed: { by: 'proposed_by', on: 'proposed_on', labels: 'Proposed by, Proposed' },
  accepted: { by: 'promoted_by', on: 'promoted_on', labels: 'Promoted by, Promoted' },
};

export type PromotionPolicy = 'record' | 'reject';

export interface PromotionViolation {
  readonly sysId: string;
  readonly number: string;
  readonly state: string;
  readonly user: string;
  /** The columns the write left empty or malformed. */
  readonly missing: readonly string[];
}

const SN_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const SYS_ID = /^[0-9a-f]{32}$/;

/** The columns a Table API write moving the state to `state` left out (empty when it is complete). */
export function missingPromotion(state: string, written: Readonly<Record<string, string>>): string[] {
  const columns = PROMOTION_COLUMNS[state];
  if (!columns) return [];
  const missing: string[] = [];
  if (!SYS_ID.test(written[columns.by] ?? '')) missing.push(columns.by);
  if (!SN_DATE_TIME.test(written[columns.on] ?? '')) missing.push(columns.on);
  return missing;
}

/** A stable sys_id for a simulated user (its `sys_user` record), from the user name. */
export const userSysId = (userName: string): string => createHash('md5').update(`sys_user:${userName}`).digest('hex');
