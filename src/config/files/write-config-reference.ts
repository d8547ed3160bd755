/**
 * Writes the generated sections of docs/config-reference.md from the zod schemas: every
 * environment variable (src/config/env.ts) and every key of the four config files, with its
 * type, default and meaning (the schemas' `.describe()` strings). Only the text between
 * `<!-- generated:<name> -->` and `<!-- /generated:<name> -->` is replaced, so the hand-written
 * prose around it stays. Run: `node src/config/files/write-config-reference.ts [file]` (or
 * `npm run docs:config`). A unit test fails when the committed file is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EnvSchema } from '../env.ts';
import { CONFIG_FILES } from './schema.ts';

type Json = {
  type?: string | string[];
  $ref?: string;
  $defs?: Record<string, Json>;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  additionalProperties?: Json | boolean;
  propertyNames?: Json;
  anyOf?: Json[];
  oneOf?: Json[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};

export interface ReferenceRow {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly meaning: string;
}

/** Named building blocks (schema-common.ts), shown by name; the intro's table explains them. */
const NAMED: Record<string, string> = {
  Id: 'id',
  Duration: 'duration',
  TemplateName: 'template name',
  EnvVarName: 'env var name',
  Name: 'name',
};

/** Variables whose value is a credential: the reference never shows a value for them. */
export function isSecretVariable(name: string): boolean {
  return /SECRET|TOKEN|PASSWORD|ROUTING_KEY/.test(name) || name === 'TEAMS_WEBHOOK_URL' || name === 'SMTP_URL';
}

const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
/** A table cell: pipes escaped, no line breaks, and `<…>` outside code spans kept from reading as HTML. */
const cell = (s: string) =>
  s
    .replace(/\s*\n\s*/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');
const NO_MAX = Number.MAX_SAFE_INTEGER;

function refName(node: Json): string | undefined {
  return node.$ref?.replace('#/$defs/', '');
}

function resolve(node: Json, defs: Record<string, Json>): Json {
  const name = refName(node);
  if (!name) return node;
  const { $ref: _ref, ...rest } = node;
  return { ...defs[name], ...rest };
}

function range(node: Json): string {
  const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : undefined);
  const max = node.maximum !== undefined && node.maximum < NO_MAX ? node.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** A short human type: `integer ≥ 1`, `` `a` \| `b` ``, `list of id`, `map name → integer 1–5`. */
export function typeLabel(node: Json, defs: Record<string, Json>): string {
  const name = refName(node);
  if (name && NAMED[name]) return NAMED[name];
  if (name === 'PlaybookStep') return 'playbook step';
  const n = resolve(node, defs);
  if (n.anyOf ?? n.oneOf) return (n.anyOf ?? n.oneOf)!.map((o) => typeLabel(o, defs)).join(' or ');
  if (n.const !== undefined) return code(n.const);
  if (n.enum) return n.enum.map(code).join(', ');
  switch (n.type) {
    case 'integer':
      return `integer${range(n)}`;
    case 'number':
      return `number${range(n)}`;
    case 'boolean':
      return 'boolean';
    case 'string':
      if (n.format === 'uri') return 'URL';
      if (n.format === 'email') return 'email address';
      if (n.pattern) return `string matching \`${n.pattern}\``;
      return 'string';
    case 'array': {
      const items = n.items ? typeLabel(n.items, defs) : 'any';
      const count = n.minItems !== undefined && n.minItems === n.maxItems ? ` ${n.minItems}` : '';
      const atLeast = n.minItems && n.minItems !== n.maxItems ? `, at least ${n.minItems}` : '';
      return `list${count} of ${items}${atLeast}`;
    }
    case 'object':
      if (n.additionalProperties && typeof n.additionalProperties === 'object') {
        const keyType = n.propertyNames ? typeLabel(n.propertyNames, defs) : 'string';
        return `map ${keyType} → ${typeLabel(n.additionalProperties, defs)}`;
      }
      return 'object';
    default:
      return 'any';
  }
}

function defaultLabel(value: unknown): string {
  if (value === undefined) return '—';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0)
    return "each key's default";
  return code(value);
}

const isRecordNode = (n: Json) => n.type === 'object' && typeof n.additionalProperties === 'object' && !n.properties;
const hasProperties = (n: Json) => n.type === 'object' && n.properties !== undefined;

/**
 * Every key of a config file, depth first in schema order. Objects with keys are walked (with a
 * row of their own only when they have a description), lists of objects go on as `key[]`,
 * everything else is one row.
 */
export function fileRows(schema: Json): ReferenceRow[] {
  const defs = schema.$defs ?? {};
  const rows: ReferenceRow[] = [];
  const walk = (node: Json, key: string, required: boolean) => {
    const n = resolve(node, defs);
    const name = refName(node);
    const row = (type: string) =>
      rows.push({
        key,
        type,
        default: n.default !== undefined ? defaultLabel(n.default) : required ? 'required' : 'optional',
        meaning: n.description ?? '',
      });
    if (!(name && (NAMED[name] || name === 'PlaybookStep')) && hasProperties(n) && !isRecordNode(n)) {
      if (key && n.description) row('object');
      const entries = Object.entries(n.properties!);
      // Keys that are all the same shape (tiers 1, 2, 3) are shown once, as `tiers.<1|2|3>`.
      const same =
        entries.length > 1 && entries.every(([, c]) => c.$ref && JSON.stringify(c) === JSON.stringify(entries[0]![1]));
      if (same) {
        const names = entries.map(([k]) => k).join('|');
        walk(
          entries[0]![1],
          `${key ? `${key}.` : ''}<${names}>`,
          entries.every(([k]) => (n.required ?? []).includes(k)),
        );
        return;
      }
      for (const [k, child] of entries) walk(child, key ? `${key}.${k}` : k, (n.required ?? []).includes(k));
      return;
    }
    const items = n.type === 'array' && n.items ? resolve(n.items, defs) : undefined;
    if (items && hasProperties(items) && !refName(n.items!)) {
      row(typeLabel(n, defs).replace(/ of object/, ' of objects'));
      for (const [k, child] of Object.entries(items.properties!))
        walk(child, `${key}[].${k}`, (items.required ?? []).includes(k));
      return;
    }
    row(typeLabel(node, defs));
  };
  walk(schema, '', true);
  return rows;
}

/** One row per playbook action: its parameters with their types, defaults and meanings. */
export function playbookStepRows(schema: Json): ReferenceRow[] {
  const defs = schema.$defs ?? {};
  const steps = defs.PlaybookStep?.oneOf ?? [];
  return steps.map((step) => {
    const params = Object.entries(step.properties ?? {})
      .filter(([k]) => k !== 'do')
      .map(([k, p]) => {
        const required = (step.required ?? []).includes(k);
        const dflt = p.default !== undefined ? `, default ${code(p.default)}` : '';
        const why = p.description ? `: ${p.description}` : '';
        return `\`${k}\`${required ? '' : '?'} (${typeLabel(p, defs)}${dflt})${why}`;
      });
    return {
      key: String(step.properties?.do?.const),
      type: params.join('; ') || '—',
      default: '',
      meaning: step.description ?? '',
    };
  });
}

export function envRows(): ReferenceRow[] {
  return Object.entries(EnvSchema.shape).map(([name, field]) => {
    const json = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json;
    const secret = isSecretVariable(name);
    return {
      key: name,
      type: `${typeLabel(json, {})}${secret ? ' (**secret**)' : ''}`,
      // A secret's default is never shown (none has one); unset means the feature is off.
      default: !secret && json.default !== undefined ? code(json.default) : '—',
      meaning: (field as z.ZodType).description ?? '',
    };
  });
}

function table(header: readonly [string, string, string, string], rows: readonly ReferenceRow[]): string {
  const lines = [`| ${header.join(' | ')} |`, '|---|---|---|---|'];
  for (const r of rows)
    lines.push(`| \`${r.key.replace(/\|/g, '\\|')}\` | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.meaning)} |`);
  return lines.join('\n');
}

function stepTable(rows: readonly ReferenceRow[]): string {
  const lines = ['| `do` | parameters (`?` optional) | what it does |', '|---|---|---|'];
  for (const r of rows) lines.push(`| \`${r.key}\` | ${cell(r.type)} | ${cell(r.meaning)} |`);
  return lines.join('\n');
}

const fileSchema = (file: keyof typeof CONFIG_FILES) =>
  z.toJSONSchema(CONFIG_FILES[file], { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;

/** Section name → generated Markdown. */
export function generatedSections(): Record<string, string> {
  const sections: Record<string, string> = {
    env: table(['variable', 'type', 'default', 'meaning'], envRows()),
  };
  for (const file of Object.keys(CONFIG_FILES) as Array<keyof typeof CONFIG_FILES>) {
    sections[file] = table(['key', 'type', 'default', 'meaning'], fileRows(fileSchema(file)));
  }
  sections['playbook-steps'] = stepTable(playbookStepRows(fileSchema('rules.yaml')));
  return sections;
}

/** `current` with every generated section replaced; a section whose markers are missing is an error. */
export function configReference(current: string): string {
  let out = current;
  for (const [name, body] of Object.entries(generatedSections())) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`docs/config-reference.md lacks the markers ${open} … ${close}`);
    out = `${out.slice(0, start + open.length)}\n${body}\n${out.slice(end)}`;
  }
  return out;
}

if (import.meta.main) {
  const file = path.resolve(process.argv[2] ?? 'docs/config-reference.md');
  const next = configReference(await readFile(file, 'utf8'));
  await writeFile(file, next);
  process.stdout.write(`wrote the generated sections of ${file}\n`);
}
