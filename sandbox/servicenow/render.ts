import { JOURNAL_FIELDS, JOURNAL_LABELS, REFERENCE_FIELDS, type JournalField } from './choices.ts';
import type { IncidentTable, SnRecord } from './table.ts';

/**
 * A record as the Table API answers it, by `sysparm_display_value` (`false`: stored values,
 * references `{link, value}`; `true`: labels; `all`: every column `{display_value, value}`),
 * `sysparm_exclude_reference_link` and `sysparm_fields`. Journal columns read back empty as
 * stored values and as the whole history ("<time> - <user> (<label>)\n<text>", newest first) as
 * display values.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */

export type DisplayMode = 'false' | 'true' | 'all';
export interface RenderOptions {
  readonly display: DisplayMode;
  readonly excludeLinks: boolean;
  readonly fields?: readonly string[];
  readonly baseUrl: string;
}

const REFERENCES: ReadonlySet<string> = new Set(REFERENCE_FIELDS);
const REFERENCE_TABLE: Readonly<Record<string, string>> = {
  business_service: 'cmdb_ci_service',
  cmdb_ci: 'cmdb_ci',
  assignment_group: 'sys_user_group',
  assigned_to: 'sys_user',
  caller_id: 'sys_user',
  parent_incident: 'incident',
  proposed_by: 'sys_user',
  promoted_by: 'sys_user',
  opened_by: 'sys_user',
};

function journalHistory(table: IncidentTable, sysId: string, field: JournalField): string {
  return table
    .journal(sysId)
    .filter((e) => e.field === field)
    .reverse()
    .map((e) => `${e.at} - ${e.author} (${JOURNAL_LABELS[field]})\n${e.text}\n\n`)
    .join('');
}

export function renderRecord(
  table: IncidentTable,
  record: Readonly<SnRecord>,
  opts: RenderOptions,
): Record<string, unknown> {
  const names = opts.fields?.length ? opts.fields.filter((f) => Object.hasOwn(record, f)) : Object.keys(record);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const stored = record[name] ?? '';
    const isJournal = (JOURNAL_FIELDS as readonly string[]).includes(name);
    const display = isJournal
      ? journalHistory(table, record.sys_id!, name as JournalField)
      : table.displayOf(name, stored);
    const link =
      REFERENCES.has(name) && stored && !opts.excludeLinks
        ? `${opts.baseUrl}/api/now/table/${REFERENCE_TABLE[name]}/${stored}`
        : undefined;
    if (opts.display === 'all') {
      out[name] = { display_value: display, value: stored, ...(link ? { link } : {}) };
    } else if (opts.display === 'true') {
      out[name] = link ? { display_value: display, link } : display;
    } else {
      out[name] = link ? { link, value: stored } : stored;
    }
  }
  return out;
}
