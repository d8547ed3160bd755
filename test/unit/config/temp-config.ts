import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../../../src/config/files/config-error.ts';
import { loadConfig } from '../../../src/config/files/load-config.ts';

/** A copy of the shipped config in a temp dir, to break or change without touching config/. */
export function tempConfig() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mim-config-'));
  cpSync('config', dir, { recursive: true });
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
  /** Replaces `from` (which must occur) in a file. */
  const replace = (file: string, from: string, to: string) => {
    const text = read(file);
    if (!text.includes(from)) throw new Error(`test setup: "${from}" not in ${file}`);
    write(file, text.replace(from, to));
  };
  /** 1-based line and column where `needle` starts (its first occurrence). */
  const where = (file: string, needle: string, offsetInNeedle = 0) => {
    const lines = read(file).split('\n');
    const i = lines.findIndex((l) => l.includes(needle));
    if (i < 0) throw new Error(`test setup: "${needle}" not in ${file}`);
    return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 + offsetInNeedle };
  };
  return { dir, read, write, replace, where };
}

export async function issuesOf(dir: string): Promise<readonly ConfigIssue[]> {
  try {
    await loadConfig(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('config unexpectedly valid');
}
