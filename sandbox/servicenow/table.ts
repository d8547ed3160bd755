import { randomBytes } from 'node:crypto';
import {
  CHOICES,
  CLOSE_CODES,
  CLOSED_STATES,
  CORRELATION_ID_MAX_LENGTH,
  isChoiceField,
  JOURNAL_FIELDS,
  PRIORITY_LOOKUP,
  REFERENCE_FIELDS,
  SHORT_DESCRIPTION_MAX_LENGTH,
  WRITABLE_FIELDS,
  type JournalField,
} from './choices.ts';
import { failure, notFound, type SnFailure } from './errors.ts';
import {
  missingPromotion,
  PROMOTION_COLUMNS,
  userSysId,
  type PromotionPolicy,
  type PromotionViolation,
} from './promotion.ts';
import { snDateTime } from './time.ts';

/**
 * The incident table in memory: every value a string, system columns kept by the "instance",
 * choice lists and the close-info data policy enforced, journal entries kept per record.
 */

export type SnRecord = Record<string, string>;
export interface JournalEntry {
  readonly field: JournalField;
  readonly text: string;
  readonly author: string;
  readonly at: string;
}
export interface Write {
  readonly operation: 'insert' | 'update';
  readonly record: Readonly<SnRecord>;
  /** Columns whose value this write changed (journals when an entry was added). */
  readonly changed: readonly string[];
  /** The entries this write added. */
  readonly journal: Readonly<Partial<Record<JournalField, string>>>;
}
export type WriteOutcome = { readonly ok: true; readonly write: Write } | SnFailure;

const REFERENCES: ReadonlySet<string> = new Set(REFERENCE_FIELDS);
const JOURNALS: ReadonlySet<string> = new Set(JOURNAL_FIELDS);
const EMPTY_RECORD: SnRecord = {
  short_description: '',
  description: '',
  state: '1',
  impact: '3',
  urgency: '3',
  priority: '5',
  major_incident_state: '',
  correlation_id: '',
  correlation_display: '',
  close_code: '',
  close_notes: '',
  category: '',
  subcategory: '',
  contact_type: '',
  business_impact: '',
  lessons_learned: '',
  overview: '',
  timeline: '',
  proposed_on: '',
  promoted_on: '',
  work_notes: '',
  comments: '',
  ...Object.fromEntries(REFERENCE_FIELDS.map((f) => [f, ''])),
};

export interface TableOptions {
  readonly now: () => Date;
  /**
   * Reference targets: sys_id → display value (a name, a user name). Writing the display value stores the sys_id, as
   * ServiceNow does.
   */
  readonly references: Readonly<Record<string, string>>;
  /** What a Table API write moving `major_incident_state` without who/when gets (promotion.ts). Default `record`. */
  readonly promotionPolicy?: PromotionPolicy;
}

/** `api`: a Table API call; `ui`: a person through the form and its UI actions (they fill who/when). */
export type WriteVia = 'api' | 'ui';

export interface IncidentTable {
  insert(fields: unknown, user: string, via?: WriteVia): WriteOutcome;
  update(sysId: string, fields: unknown, user: string, via?: WriteVia): WriteOutcome;
  /** Table API writes that moved `major_incident_state` without the who/when columns. */
  promotionViolations(): readonly PromotionViolation[];
  get(sysId: string): Readonly<SnRecord> | undefined;
  all(): readonly Readonly<SnRecord>[];
  journal(sysId: string): readonly JournalEntry[];
  displayOf(field: string, value: string): string;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  return undefined;
}

export function createIncidentTable(opts: TableOptions): IncidentTable {
  const records = new Map<string, SnRecord>();
  const journals = new Map<string, JournalEntry[]>();
  const violations: PromotionViolation[] = [];
  let nextNumber = 10001;
  const byDisplay = new Map(Object.entries(opts.references).map(([id, name]) => [name, id]));
  /** Users who wrote, by their sys_user sys_id: their names are the display values of who-columns. */
  const users = new Map<string, string>();

  function displayOf(field: string, value: string): string {
    if (!value) return '';
    if (field === 'parent_incident') return records.get(value)?.number ?? '';
    if (REFERENCES.has(field)) return opts.references[value] ?? users.get(value) ?? '';
    if (isChoiceField(field)) return (CHOICES[field] as Record<string, string>)[value] ?? value;
    return value;
  }

  /** The columns to write, checked; unknown names are dropped as the Table API drops them. */
  function clean(
    fields: unknown,
    self: string | undefined,
  ): { ok: true; set: SnRecord; notes: Partial<Record<JournalField, string>> } | SnFailure {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
    }
    const set: SnRecord = {};
    const notes: Partial<Record<JournalField, string>> = {};
    for (const [name, raw] of Object.entries(fields)) {
      if (!WRITABLE_FIELDS.has(name)) continue;
      const value = scalar(raw);
      if (value === undefined)
        return failure(400, 'Invalid value', `Field '${name}' takes a string, got ${JSON.stringify(raw)}`);
      if (JOURNALS.has(name)) {
        if (value.trim()) notes[name as JournalField] = value;
        continue;
      }
      if (isChoiceField(name) && !Object.hasOwn(CHOICES[name], value)) {
        return failure(
          400,
          'Invalid choice',
          `'${value}' is not a choice of ${name} (${Object.keys(CHOICES[name]).filter(Boolean).join(', ')})`,
        );
      }
      if (name === 'close_code' && value && !CLOSE_CODES.has(value))
        return failure(400, 'Invalid choice', `'${value}' is not a choice of close_code`);
      if (name === 'parent_incident' && value && (!records.has(value) || value === self)) {
        return failure(400, 'Invalid reference', `parent_incident '${value}' is not the sys_id of another incident`);
      }
      // Longer strings are truncated on save, not rejected.
      if (name === 'correlation_id') set[name] = value.slice(0, CORRELATION_ID_MAX_LENGTH);
      else if (name === 'short_description') set[name] = value.slice(0, SHORT_DESCRIPTION_MAX_LENGTH);
      else if (REFERENCES.has(name) && name !== 'parent_incident') set[name] = byDisplay.get(value) ?? value;
      else set[name] = value;
    }
    return { ok: true, set, notes };
  }

  /** Who/when of a move into proposed or accepted: filled for a person, checked for the API (promotion.ts). */
  function promotion(
    before: SnRecord,
    after: SnRecord,
    written: SnRecord,
    user: string,
    via: WriteVia,
    at: string,
  ): SnFailure | PromotionViolation | undefined {
    const state = after.major_incident_state ?? '';
    const columns = PROMOTION_COLUMNS[state];
    if (!columns || state === before.major_incident_state) return undefined;
    if (via === 'ui') {
      after[columns.by] = userSysId(user);
      after[columns.on] = at;
      return undefined;
    }
    const missing = missingPromotion(state, written);
    if (!missing.length) return undefined;
    if (opts.promotionPolicy === 'reject')
      return failure(
        403,
        'Operation Failed',
        `Data Policy Exception: \n\tThe following fields are mandatory: ${columns.labels}\n`,
      );
    return { sysId: after.sys_id ?? '', number: after.number ?? '', state, user, missing };
  }

  function commit(
    operation: Write['operation'],
    before: SnRecord,
    fields: unknown,
    user: string,
    via: WriteVia,
  ): WriteOutcome {
    const cleaned = clean(fields, before.sys_id);
    if (!cleaned.ok) return cleaned;
    users.set(userSysId(user), user);
    const after: SnRecord = { ...before, ...cleaned.set };
    const at = snDateTime(opts.now());
    const incomplete = promotion(before, after, cleaned.set, user, via, at);
    if (incomplete && 'ok' in incomplete) return incomplete;
    // Priority is the lookup's, whatever the caller wrote (the base system's priority lookup rule).
    after.priority = PRIORITY_LOOKUP[`${after.impact}${after.urgency}`] ?? after.priority ?? '5';
    if (CLOSED_STATES.has(after.state ?? '') && (!after.close_code || !after.close_notes)) {
      // A data policy violation answers 403 (ServiceNow REST status codes: "business rule or data policy constraints").
      return failure(
        403,
        'Operation Failed',
        'Data Policy Exception: \n\tThe following fields are mandatory: Resolution code, Resolution notes\n',
      );
    }
    const entries = journals.get(after.sys_id ?? '') ?? [];
    for (const field of JOURNAL_FIELDS) {
      const text = cleaned.notes[field];
      if (text !== undefined) entries.push({ field, text, author: user, at });
    }
    Object.assign(after, {
      sys_updated_on: at,
      sys_updated_by: user,
      work_notes: '',
      comments: '',
      sys_mod_count: operation === 'insert' ? '0' : String(Number(before.sys_mod_count) + 1),
      active: CLOSED_STATES.has(after.state ?? '') || after.state === '8' ? 'false' : 'true',
    });
    const changed = Object.keys(after).filter(
      (k) => !JOURNALS.has(k) && (operation === 'insert' ? after[k] !== '' : after[k] !== before[k]),
    );
    changed.push(...JOURNAL_FIELDS.filter((f) => cleaned.notes[f] !== undefined));
    records.set(after.sys_id!, after);
    journals.set(after.sys_id!, entries);
    if (incomplete) violations.push(incomplete);
    return { ok: true, write: { operation, record: { ...after }, changed, journal: cleaned.notes } };
  }

  return {
    insert(fields, user, via = 'api') {
      const sysId = randomBytes(16).toString('hex');
      const at = snDateTime(opts.now());
      const number = `INC00${String(nextNumber).padStart(5, '0')}`;
      const base: SnRecord = {
        ...EMPTY_RECORD,
        sys_id: sysId,
        number,
        sys_created_on: at,
        sys_created_by: user,
        opened_at: at,
        opened_by: '',
        sys_mod_count: '0',
      };
      const out = commit('insert', base, fields, user, via);
      if (out.ok) nextNumber += 1;
      return out;
    },
    update(sysId, fields, user, via = 'api') {
      const before = records.get(sysId);
      return before ? commit('update', before, fields, user, via) : notFound();
    },
    promotionViolations: () => violations,
    get: (sysId) => records.get(sysId),
    all: () => [...records.values()],
    journal: (sysId) => journals.get(sysId) ?? [],
    displayOf,
  };
}
