/**
 * The base system's incident choice lists, the default priority lookup and the columns the
 * simulator knows. Codes are what the Table API stores; labels what display values show.
 * https://www.servicenow.com/docs/bundle/zurich-it-service-management/page/product/incident-management/reference/r_PrioritizationOfIncidents.html
 */

export const CHOICES = {
  state: { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' },
  impact: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  urgency: { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' },
  priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' },
  major_incident_state: {
    '': '',
    proposed: 'Proposed',
    accepted: 'Accepted',
    rejected: 'Rejected',
    canceled: 'Canceled',
  },
} as const satisfies Record<string, Record<string, string>>;

export type ChoiceField = keyof typeof CHOICES;
export const isChoiceField = (name: string): name is ChoiceField => Object.hasOwn(CHOICES, name);

/** `close_code` choices: Washington and later, then the older list still found on upgraded instances (secondary). */
export const CLOSE_CODES: ReadonlySet<string> = new Set([
  'Solution provided',
  'Workaround provided',
  'Duplicate',
  'Known error',
  'No resolution provided',
  'Resolved by caller',
  'Resolved by change',
  'Resolved by problem',
  'Resolved by request',
  'User error',
  'Solved (Work Around)',
  'Solved (Permanently)',
  'Solved Remotely (Work Around)',
  'Solved Remotely (Permanently)',
  'Not Solved (Not Reproducible)',
  'Not Solved (Too Costly)',
  'Closed/Resolved by Caller',
]);

/** Default priority lookup (dl_u_priority): `${impact}${urgency}` → priority. */
export const PRIORITY_LOOKUP: Readonly<Record<string, string>> = {
  '11': '1',
  '12': '2',
  '13': '3',
  '21': '2',
  '22': '3',
  '23': '4',
  '31': '3',
  '32': '4',
  '33': '5',
};

/** States in which the default data policy makes close_code and close_notes mandatory. */
export const CLOSED_STATES: ReadonlySet<string> = new Set(['6', '7']);

export const REFERENCE_FIELDS = [
  'business_service',
  'cmdb_ci',
  'assignment_group',
  'assigned_to',
  'caller_id',
  'parent_incident',
  'proposed_by',
  'promoted_by',
  'opened_by',
] as const;
export const JOURNAL_FIELDS = ['work_notes', 'comments'] as const;
export type JournalField = (typeof JOURNAL_FIELDS)[number];
export const JOURNAL_LABELS: Readonly<Record<JournalField, string>> = {
  work_notes: 'Work notes',
  comments: 'Additional comments',
};

/**
 * Plain columns a caller may write; anything else (but references and journals) is ignored, as the Table API ignores
 * unknown names.
 */
export const WRITABLE_FIELDS: ReadonlySet<string> = new Set([
  'short_description',
  'description',
  'state',
  'impact',
  'urgency',
  'major_incident_state',
  'correlation_id',
  'correlation_display',
  'close_code',
  'close_notes',
  'category',
  'subcategory',
  'contact_type',
  'business_impact',
  'lessons_learned',
  'overview',
  'timeline',
  'proposed_on',
  'promoted_on',
  ...REFERENCE_FIELDS,
  ...JOURNAL_FIELDS,
]);

/** Set by the instance, never by the caller (writes to them are ignored). */
export const SYSTEM_FIELDS = [
  'sys_id',
  'number',
  'priority',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'opened_at',
  'active',
] as const;

/** String(100) on `task` (secondary), as outbound-mapping.ts notes too. */
export const CORRELATION_ID_MAX_LENGTH = 100;
/** short_description is String(160) on `task`. */
export const SHORT_DESCRIPTION_MAX_LENGTH = 160;
