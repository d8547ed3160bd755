import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readConfigDir } from '../files/read-config-dir.ts';
import { fromDirFiles, type VersionFiles } from './version-files.ts';

export interface ExportPlan {
  /** Files that exist with other content: overwritten only with force. */
  readonly differ: readonly string[];
  /** Templates in the directory that the version does not have: removed only with force. */
  readonly extra: readonly string[];
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes a version's files into a config directory so that the loader reads exactly that version
 * from it. Refuses (writes nothing) when a file differs or a template is extra, unless `force`.
 */
export async function exportVersion(
  files: VersionFiles,
  dir: string,
  force: boolean,
): Promise<ExportPlan & { readonly refused: boolean }> {
  const differ: string[] = [];
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const existing = await readText(path.join(dir, name));
    if (existing === content) unchanged.push(name);
    else {
      if (existing !== undefined) differ.push(name);
      written.push(name);
    }
  }
  const present = Object.keys(fromDirFiles(await readConfigDir(dir))).filter((f) => f.startsWith('templates/'));
  const extra = present.filter((f) => files[f] === undefined);
  if ((differ.length || extra.length) && !force) return { differ, extra, written: [], unchanged, refused: true };
  for (const name of written) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, files[name]!);
  }
  for (const name of extra) await rm(path.join(dir, name));
  return { differ, extra, written, unchanged, refused: false };
}
