import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCRIPTS } from '../../../src/store/scripts.ts';

const DIR = fileURLToPath(new URL('../../../src/store/lua/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.lua'));

/** The header block (`--[[ … ]]` at the top) and the code after it. */
function split(file: string): { header: string; body: string } {
  const text = readFileSync(`${DIR}${file}`, 'utf8');
  const end = text.indexOf(']]');
  expect(text.startsWith('--[['), `${file}: starts with a --[[ … ]] header`).toBe(true);
  return { header: text.slice(0, end), body: text.slice(end + 2) };
}

const indices = (text: string, name: 'KEYS' | 'ARGV') =>
  new Set([...text.matchAll(new RegExp(`${name}\\[(\\d+)`, 'g'))].map((m) => Number(m[1])));
/** Header lines that document one entry: `KEYS[3] …`, `ARGV[9 .. 8+n] …`, `ARGV[2 ..] …`. */
const documented = (header: string, name: 'KEYS' | 'ARGV') =>
  new Set([...header.matchAll(new RegExp(`^\\s*${name}\\[(\\d+)[\\] ]`, 'gm'))].map((m) => Number(m[1])));

describe('Lua scripts (src/store/lua)', () => {
  it('loads every script file, named <name>-<numberOfKeys>.lua', () => {
    const loaded = Object.values(SCRIPTS)
      .map((s) => `${s.name}-${s.numberOfKeys}.lua`)
      .sort();
    expect(loaded).toEqual([...files].sort());
  });

  it.each(files)('%s: its header lists every KEYS and ARGV entry the code reads, and the output', (file) => {
    const { header, body } = split(file);
    const keyCount = Number(/-(\d+)\.lua$/.exec(file)![1]);
    const keysListed = documented(header, 'KEYS');
    expect(
      [...keysListed].sort((a, b) => a - b),
      `${file}: KEYS[1..${keyCount}] listed, as its name says`,
    ).toEqual(Array.from({ length: keyCount }, (_, i) => i + 1));
    for (const k of indices(body, 'KEYS'))
      expect(keysListed.has(k), `${file}: KEYS[${k}] is read but not in the header`).toBe(true);
    const argvListed = documented(header, 'ARGV');
    for (const a of indices(body, 'ARGV'))
      expect(argvListed.has(a), `${file}: ARGV[${a}] is read but not in the header`).toBe(true);
    const listed = [...argvListed].sort((a, b) => a - b);
    expect(listed, `${file}: ARGV listed from 1 without a gap`).toEqual(listed.map((_, i) => i + 1));
    expect(header, `${file}: the header has Input and Output`).toMatch(/Input:[\s\S]*Output:\n\s+\S/);
  });

  it('inlines the included functions', () => {
    expect(SCRIPTS.transition.lua).toContain('local function pushLists(');
    expect(SCRIPTS.transition.lua).toContain('local function sameVersion(');
    expect(SCRIPTS.transition.lua).not.toContain('@include');
  });

  it('finds its files when the process runs from another directory', () => {
    const url = new URL('../../../src/store/scripts.ts', import.meta.url).href;
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { SCRIPTS } = await import(${JSON.stringify(url)}); console.log(SCRIPTS.createIfNoneOpen.numberOfKeys);`,
      ],
      { cwd: tmpdir(), encoding: 'utf8' },
    );
    expect(out.trim()).toBe('8');
  });
});
