import { STATUSES } from './catalogue.ts';
import type { Issue } from './model.ts';

/**
 * The JQL subset mim-bridge uses: `field = value` clauses on `labels`, `project`, `key`,
 * `status`, joined by `AND`, and `ORDER BY created|updated|key [ASC|DESC]`. Anything else is
 * answered as Jira answers a query it cannot parse: 400 with "Error in the JQL Query".
 * https://support.atlassian.com/jira-software-cloud/docs/use-advanced-search-with-jira-query-language-jql/
 */

interface Clause {
  readonly field: 'labels' | 'project' | 'key' | 'status';
  readonly value: string;
}
interface Order {
  readonly field: 'created' | 'updated' | 'key';
  readonly desc: boolean;
}
export interface Jql {
  readonly clauses: readonly Clause[];
  readonly order: readonly Order[];
}
export type ParsedJql = { readonly ok: true; readonly jql: Jql } | { readonly ok: false; readonly message: string };

const TOKEN = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|=|~|>=|<=|>|<|\(|\)|,)|([^\s"'=!~<>(),]+))/y;
type Token = { readonly text: string; readonly quoted: boolean };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m)
      return `Error in the JQL Query: The character '${text[at]}' is a reserved JQL character (at position ${at}).`;
    const quoted = m[1] ?? m[2];
    tokens.push(
      quoted !== undefined
        ? { text: quoted.replace(/\\(.)/g, '$1'), quoted: true }
        : { text: m[3] ?? m[4]!, quoted: false },
    );
  }
  return tokens;
}

const FIELDS = new Set(['labels', 'project', 'key', 'status']);
const ORDER_FIELDS = new Set(['created', 'updated', 'key']);
const word = (t: Token | undefined, w: string) => !!t && !t.quoted && t.text.toUpperCase() === w;

export function parseJql(text: string): ParsedJql {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, message: tokens };
  const clauses: Clause[] = [];
  const order: Order[] = [];
  let i = 0;
  const fail = (why: string): ParsedJql => ({ ok: false, message: `Error in the JQL Query: ${why}` });
  while (i < tokens.length && !word(tokens[i], 'ORDER')) {
    if (clauses.length) {
      if (!word(tokens[i], 'AND'))
        return fail(`Expecting 'AND' or 'ORDER BY' but got '${tokens[i]!.text}'. (the simulator supports AND only)`);
      i += 1;
    }
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!field || field.quoted) return fail('Expecting a field name.');
    if (!FIELDS.has(field.text.toLowerCase()))
      return { ok: false, message: `Field '${field.text}' does not exist or you do not have permission to view it.` };
    if (op?.text !== '=' || op.quoted)
      return fail(`The operator '${op?.text ?? ''}' is not supported by the simulator for field '${field.text}'.`);
    if (!value || (!value.quoted && /^(AND|OR|NOT|ORDER)$/i.test(value.text)))
      return fail(`Expecting a value after '${field.text} ='.`);
    clauses.push({ field: field.text.toLowerCase() as Clause['field'], value: value.text });
    i += 3;
  }
  if (i < tokens.length) {
    if (!word(tokens[i + 1], 'BY')) return fail("Expecting 'BY' after 'ORDER'.");
    i += 2;
    do {
      if (order.length) i += 1;
      const field = tokens[i];
      if (!field || !ORDER_FIELDS.has(field.text.toLowerCase()))
        return fail(`Cannot order by '${field?.text ?? ''}' in the simulator.`);
      const dir = tokens[i + 1];
      const desc = word(dir, 'DESC');
      i += word(dir, 'ASC') || desc ? 2 : 1;
      order.push({ field: field.text.toLowerCase() as Order['field'], desc });
    } while (tokens[i]?.text === ',' && !tokens[i]!.quoted);
    if (i < tokens.length) return fail(`Unexpected '${tokens[i]!.text}' after ORDER BY.`);
  }
  return { ok: true, jql: { clauses, order } };
}

function matches(issue: Issue, c: Clause): boolean {
  switch (c.field) {
    case 'labels':
      return issue.labels.includes(c.value);
    case 'project':
      return issue.project.key.toLowerCase() === c.value.toLowerCase() || issue.project.id === c.value;
    case 'key':
      return issue.key.toLowerCase() === c.value.toLowerCase() || issue.id === c.value;
    case 'status':
      return STATUSES[issue.status].name.toLowerCase() === c.value.toLowerCase();
  }
}

const keyNumber = (key: string) => Number(key.split('-').pop());

export function runJql(issues: readonly Issue[], jql: Jql): Issue[] {
  const found = issues.filter((i) => jql.clauses.every((c) => matches(i, c)));
  // Without ORDER BY the order is the site's default; newest first here.
  const order = jql.order.length ? jql.order : [{ field: 'created' as const, desc: true }];
  return found.sort((a, b) => {
    for (const o of order) {
      const d =
        o.field === 'key'
          ? keyNumber(a.key) - keyNumber(b.key)
          : a[o.field] < b[o.field]
            ? -1
            : a[o.field] > b[o.field]
              ? 1
              : Number(a.id) - Number(b.id);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
}
