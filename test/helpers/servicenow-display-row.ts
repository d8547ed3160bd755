import { snRecord } from './servicenow-record.ts';

/** Labels ServiceNow shows for the choice codes snRecord uses (base system). */
const CHOICE_LABELS: Record<string, Record<string, string>> = {
  state: { '1': 'New', '2': 'In Progress', '6': 'Resolved', '7': 'Closed' },
  impact: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  urgency: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate' },
};

/**
 * A Table API row as `sysparm_display_value=all&sysparm_exclude_reference_link=true` returns it:
 * every column `{display_value, value}`; date-times displayed in the reading user's zone (here
 * one hour ahead of UTC), the stored value in UTC.
 */
export function snDisplayRow(
  overrides: Record<string, unknown> = {},
): Record<string, { display_value: string; value: string }> {
  const record = snRecord(overrides);
  const row: Record<string, { display_value: string; value: string }> = {};
  for (const [name, field] of Object.entries(record)) {
    if (typeof field === 'object' && field !== null) {
      const ref = field as { value?: string; display_value?: string };
      row[name] = { display_value: ref.display_value ?? '', value: ref.value ?? '' };
      continue;
    }
    const value = String(field);
    const shifted =
      name === 'sys_updated_on' ? new Date(`${value.replace(' ', 'T')}Z`).getTime() + 3_600_000 : undefined;
    const display =
      shifted !== undefined && Number.isFinite(shifted)
        ? new Date(shifted).toISOString().slice(0, 19).replace('T', ' ')
        : (CHOICE_LABELS[name]?.[value] ?? value);
    row[name] = { display_value: display, value };
  }
  return row;
}
