/**
 * Writes config/schema/<file>.schema.json from the zod schemas, so editors autocomplete and
 * validate the YAML files (`# yaml-language-server: $schema=...`). Run: `npm run config:schema`.
 * A unit test fails when the committed files are out of date.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CONFIG_FILES } from './schema.ts';

export function jsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, schema] of Object.entries(CONFIG_FILES)) {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
    out[file.replace(/\.yaml$/, '.schema.json')] = `${JSON.stringify({ ...json, title: `mim-bridge ${file}` }, null, 2)}\n`;
  }
  return out;
}

if (import.meta.main) {
  const dir = path.resolve(process.argv[2] ?? 'config/schema');
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(jsonSchemas())) await writeFile(path.join(dir, name), text);
  process.stdout.write(`wrote ${Object.keys(jsonSchemas()).length} JSON Schemas to ${dir}\n`);
}
