import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of the shipped config in a temp dir (or in `parent`: rules/validate reads only the config
 * directory and folders inside it), with `edit(file, text → text)` to break or change it.
 */
export function configCopy(parent = tmpdir()) {
  const dir = mkdtempSync(path.join(parent, 'mim-config-'));
  cpSync('config', dir, { recursive: true });
  const edit = (file: string, change: (text: string) => string) => {
    const p = path.join(dir, file);
    writeFileSync(p, change(readFileSync(p, 'utf8')));
  };
  return { dir, edit };
}

/** 1-based line of the first occurrence of `needle` in a config file of the copy. */
export function lineOf(dir: string, file: string, needle: string): number {
  return (
    readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1
  );
}
