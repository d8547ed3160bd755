import type { SnRecord } from './table.ts';

/**
 * The encoded-query subset mim-bridge uses: `field<op>value` terms joined by `^` (AND), with
 * `=`, `!=`, `>=`, `>`, `<=`, `<`, `ISEMPTY`, `ISNOTEMPTY`, and `ORDERBY`/`ORDERBYDESC`.
 * Date-time values may be plain (`2025-03-04 09:00:00`) or `javascript:gs.dateGenerate('2025-03-04','09:00:00')`.
 * A real instance drops conditions it cannot parse (and so may return every row); the simulator
 * answers 400 instead, so a malformed query from mim-bridge fails a test rather than passing it.
 * https://www.servicenow.com/docs/bundle/zurich-platform-user-interface/page/use/using-lists/concept/c_EncodedQueryStrings.html
 */

type Op = '=' | '!=' | '>=' | '>' | '<=' | '<' | 'ISEMPTY' | 'ISNOTEMPTY';
interface Condition {
  readonly field: string;
  readonly op: Op;
  readonly value: string;
}
interface Order {
  readonly field: string;
  readonly desc: boolean;
}
export interface EncodedQuery {
  readonly conditions: readonly Condition[];
  readonly order: readonly Order[];
}
export type ParsedQuery =
  | { readonly ok: true; readonly query: EncodedQuery }
  | { readonly ok: false; readonly detail: string };

const FIELD = '[a-z_][a-z0-9_.]*';
const TERM = new RegExp(`^(${FIELD})(!=|>=|<=|=|>|<|ISNOTEMPTY|ISEMPTY)(.*)$`);
const DATE_GENERATE = /^javascript:gs\.dateGenerate\('(\d{4}-\d{2}-\d{2})','(\d{2}:\d{2}:\d{2})'\)$/;

function literal(raw: string): string | undefined {
  if (!raw.startsWith('javascript:')) return raw;
  const m = DATE_GENERATE.exec(raw);
  return m ? `${m[1]} ${m[2]}` : undefined;
}

export function parseEncodedQuery(text: string): ParsedQuery {
  const conditions: Condition[] = [];
  const order: Order[] = [];
  for (const term of text.split('^')) {
    if (term === '' || term === 'EQ') continue;
    const ordered = /^ORDERBY(DESC)?([a-z_][a-z0-9_]*)$/.exec(term);
    if (ordered) {
      order.push({ field: ordered[2]!, desc: ordered[1] === 'DESC' });
      continue;
    }
    if (term.startsWith('OR') || term.startsWith('NQ'))
      return { ok: false, detail: `OR and NQ are not supported by the simulator: '${term}'` };
    const m = TERM.exec(term);
    if (!m) return { ok: false, detail: `Invalid encoded query term '${term}'` };
    const op = m[2] as Op;
    const value = literal(m[3]!);
    if (value === undefined) return { ok: false, detail: `Unsupported javascript: value in '${term}'` };
    if ((op === 'ISEMPTY' || op === 'ISNOTEMPTY') && value !== '')
      return { ok: false, detail: `Invalid encoded query term '${term}'` };
    conditions.push({ field: m[1]!, op, value });
  }
  return { ok: true, query: { conditions, order } };
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
function compare(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function matches(record: Readonly<SnRecord>, c: Condition): boolean {
  const v = record[c.field] ?? '';
  switch (c.op) {
    case '=':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case '>=':
      return v !== '' && compare(v, c.value) >= 0;
    case '>':
      return v !== '' && compare(v, c.value) > 0;
    case '<=':
      return v !== '' && compare(v, c.value) <= 0;
    case '<':
      return v !== '' && compare(v, c.value) < 0;
    case 'ISEMPTY':
      return v === '';
    case 'ISNOTEMPTY':
      return v !== '';
  }
}

export function runQuery(records: readonly Readonly<SnRecord>[], query: EncodedQuery): Readonly<SnRecord>[] {
  const found = records.filter((r) => query.conditions.every((c) => matches(r, c)));
  // Without ORDERBY the instance's order is unspecified; insertion order is kept.
  return found.sort((a, b) => {
    for (const o of query.order) {
      const d = compare(a[o.field] ?? '', b[o.field] ?? '');
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
}
