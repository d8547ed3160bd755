import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileTemplates, REGISTERS, type TemplateSet, type TemplateSource } from './compile-templates.ts';

/** Template files live at `<dir>/<register>/<name>.liquid`. */
export const TEMPLATE_EXTENSION = '.liquid';

async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(TEMPLATE_EXTENSION)).sort();
  } catch (err) {
    // A register without a folder simply has no templates; the required-set check names what is missing.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Reads and parses every template under `dir`; throws (with file and line) if any fails or a required one is missing.
 */
export async function loadTemplates(dir: string): Promise<TemplateSet> {
  const sources: TemplateSource[] = [];
  for (const register of REGISTERS) {
    for (const file of await filesIn(path.join(dir, register))) {
      const source = await readFile(path.join(dir, register, file), 'utf8');
      sources.push({ register, name: file.slice(0, -TEMPLATE_EXTENSION.length), source, file: `${register}/${file}` });
    }
  }
  return compileTemplates(sources);
}
