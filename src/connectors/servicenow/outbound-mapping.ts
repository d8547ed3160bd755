import type { Priority, TicketStatus } from '../capabilities.ts';
import type { SnLevel3Code, SnStateCode } from './mapping.ts';

/**
 * Domain → ServiceNow codes for what we write. Priority is never written: ServiceNow derives it
 * from impact × urgency through a lookup admins may change, so we write the pair that the base
 * system's matrix turns into the wanted priority (secondary source) and read priority back.
 * https://www.servicenow.com/docs/bundle/zurich-it-service-management/page/product/incident-management/reference/r_PrioritizationOfIncidents.html
 */
export const SN_IMPACT_URGENCY = {
  1: { impact: '1', urgency: '1' },
  2: { impact: '1', urgency: '2' },
  3: { impact: '2', urgency: '2' },
  4: { impact: '2', urgency: '3' },
  5: { impact: '3', urgency: '3' },
} as const satisfies Record<Priority, { impact: SnLevel3Code; urgency: SnLevel3Code }>;

/** Incident `state` codes (1 New, 2 In Progress, 6 Resolved, 7 Closed; secondary source). */
export const SN_STATE_FOR_STATUS = {
  in_progress: '2',
  resolved: '6',
  closed: '7',
} as const satisfies Record<TicketStatus, SnStateCode>;

/** What `correlation_display` says on every record we create, so people see who owns the link. */
export const SN_CORRELATION_DISPLAY = 'mim-bridge';

/** `correlation_id` is a String(100) column on the base `task` table (secondary source). */
export const SN_CORRELATION_ID_MAX_LENGTH = 100;

/** `sys_id`: 32 hex characters; checked before it becomes part of a URL path. */
export const SN_SYS_ID = /^[0-9a-f]{32}$/;
