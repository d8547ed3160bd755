/**
 * Writes config/schema/<file>.schema.json from the zod schemas, so editors complete and check the
 * YAML files as they are typed (`# yaml-language-server: $schema=./schema/<file>.schema.json`).
 * Run: `node src/config/files/write-json-schema.ts [dir]` (or `npm run config:schema`).
 * A unit test fails when the committed files are out of date.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CONFIG_FILES } from './schema.ts';

const DESCRIPTIONS: Record<keyof typeof CONFIG_FILES, string> = {
  'services.yaml':
    'The service catalogue: how ServiceNow and Jira records map to services, owners, paging and audiences.',
  'audiences.yaml': 'Who is told about major incidents, where, and in which register.',
  'rules.yaml':
    'When an incident becomes a major incident (CEL rules, windows) and what happens then (playbooks, tiers).',
  'mappings.yaml': 'Priority, state and field mapping between ServiceNow and Jira, by field id.',
};

/** File name → JSON text. `io: 'input'` describes what an admin writes: keys with defaults are optional. */
export function jsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(CONFIG_FILES) as Array<[keyof typeof CONFIG_FILES, z.ZodType]>) {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
    out[file.replace(/\.yaml$/, '.schema.json')] =
      `${JSON.stringify({ ...json, title: `mim-bridge ${file}`, description: DESCRIPTIONS[file] }, null, 2)}\n`;
  }
  return out;
}

if (import.meta.main) {
  const dir = path.resolve(process.argv[2] ?? 'config/schema');
  await mkdir(dir, { recursive: true });
  const schemas = jsonSchemas();
  for (const [name, text] of Object.entries(schemas)) await writeFile(path.join(dir, name), text);
  process.stdout.write(`wrote ${Object.keys(schemas).length} JSON Schemas to ${dir}\n`);
}
