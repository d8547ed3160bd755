import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAMES, type ConfigFileName } from './schema.ts';

/** The bytes of a config directory: everything a version is made of, and nothing else. */
export interface ConfigDirFiles {
  readonly dir: string;
  /** Each YAML file's bytes; undefined when the file is missing. */
  readonly yaml: Readonly<Record<ConfigFileName, Buffer | undefined>>;
  /** `.liquid` files under templates/, by path relative to it (`business/declared.liquid`), sorted. */
  readonly templates: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer }>;
  /** Set when the directory itself cannot be read. */
  readonly unreadable?: string;
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function templateFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries
      .filter((f) => f.endsWith('.liquid'))
      .map((f) => f.split(path.sep).join('/'))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function readConfigDir(dir: string): Promise<ConfigDirFiles> {
  try {
    await readdir(dir);
  } catch (err) {
    const yaml = Object.fromEntries(CONFIG_FILE_NAMES.map((f) => [f, undefined])) as Record<ConfigFileName, undefined>;
    return { dir, yaml, templates: [], unreadable: (err as Error).message };
  }
  const yaml = {} as Record<ConfigFileName, Buffer | undefined>;
  for (const f of CONFIG_FILE_NAMES) yaml[f] = await readOptional(path.join(dir, f));
  const templatesDir = path.join(dir, 'templates');
  const templates = await Promise.all(
    (await templateFiles(templatesDir)).map(async (name) => ({
      name,
      bytes: await readFile(path.join(templatesDir, name)),
    })),
  );
  return { dir, yaml, templates };
}

/**
 * The version of a config: sha256 over every file's name and bytes, sorted by name, first 12
 * hex digits. Same files, same version, on any host; any change, another version.
 */
export function contentVersion(files: ConfigDirFiles): string {
  const all: Array<[string, Buffer]> = [
    ...CONFIG_FILE_NAMES.flatMap((f): Array<[string, Buffer]> => (files.yaml[f] ? [[f, files.yaml[f]]] : [])),
    ...files.templates.map((t): [string, Buffer] => [`templates/${t.name}`, t.bytes]),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  for (const [name, bytes] of all) hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  return hash.digest('hex').slice(0, 12);
}
