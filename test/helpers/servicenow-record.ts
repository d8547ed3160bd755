/** A ServiceNow incident as the shipped business rule sends it (Table API shape: every value a string). */
export function snRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sys_id: '9d385017c611228701d22104cc95c371',
    number: 'INC0010042',
    short_description: 'Payroll portal down for all staff',
    description: 'Users get HTTP 503 from the payroll portal since 09:02.',
    state: '2',
    impact: '1',
    urgency: '1',
    priority: '1',
    business_service: { value: '27d32778c0a8000b00db970eeaa60f16', display_value: 'Payroll' },
    cmdb_ci: { value: 'b0c25d1bc0a800090168be1bfcdcd759', display_value: 'payroll-app01' },
    assignment_group: { value: '8a4dde73c6112278017a6a4baf547aa7', display_value: 'Payroll Platform' },
    caller_id: { value: '5137153cc611227c000bbd1bd8cd2005', display_value: 'Fred Luddy' },
    major_incident_state: '',
    sys_updated_on: '2026-11-20 09:05:00',
    sys_updated_by: 'fred.luddy',
    sys_mod_count: '3',
    u_campus: 'North',
    ...overrides,
  };
}

export const wrapped = (record: Record<string, unknown>, event = 'update', changed: string[] = []) => ({
  event,
  changed,
  record,
});
