import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsIn, readImports, type ImportEdge } from './read-imports.ts';
import { breaksOf, folderCycles } from './rules.ts';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));
const edges = readImports(SRC);
const show = (e: ImportEdge) => `src/${e.file}:${e.line} imports '${e.specifier}'`;

describe('the import matrix (docs/architecture.md)', () => {
  it('reads the imports of the whole tree', () => {
    // A reader that silently found nothing would pass every rule below.
    expect(new Set(edges.map((e) => e.file)).size).toBeGreaterThan(200);
    expect(edges.length).toBeGreaterThan(1000);
  });

  it('every import obeys the matrix', () => {
    const broken = edges.flatMap((e) => breaksOf(e).map((rule) => `${show(e)}: ${rule}`));
    expect(broken, `\n${broken.join('\n')}\n`).toEqual([]);
  });

  it('no two folders import each other, directly or through others', () => {
    const cycles = folderCycles(edges).map(({ folders, arrows }) => {
      const lines = arrows.map(
        ({ arrow, first, count }) => `${arrow} (${count}): ${show(first)}${count > 1 ? ', …' : ''}`,
      );
      return `a loop between ${folders.join(', ')}; the arrows among them:\n    ${lines.join('\n    ')}`;
    });
    expect(cycles, `\n${cycles.join('\n')}\n`).toEqual([]);
  });
});

describe('the import reader', () => {
  it('finds every form of import at its line, and nothing in strings or comments', () => {
    const text = [
      "import { a } from '../a.ts';",
      'import type {',
      '  B,',
      "} from '../b.ts';",
      "export * from './c.ts';",
      "export { d as e } from './d.ts';",
      "import './side-effect.ts';",
      "const lazy = await import('../lazy.ts');",
      'const any = await import(name);',
      "// await import('./comment.ts')",
      "const lua = `import x from 'not-code'`;",
      "export const f = { from: 'nothing' };",
      "  import('./indented.ts');",
    ].join('\n');
    expect(importsIn(text)).toEqual([
      { line: 1, specifier: '../a.ts' },
      { line: 2, specifier: '../b.ts' },
      { line: 5, specifier: './c.ts' },
      { line: 6, specifier: './d.ts' },
      { line: 7, specifier: './side-effect.ts' },
      { line: 8, specifier: '../lazy.ts' },
      { line: 9, specifier: '<computed>' },
      { line: 13, specifier: './indented.ts' },
    ]);
  });

  it('names a broken rule, and a loop through its imports', () => {
    const edge = (file: string, target: string): ImportEdge => ({ file, line: 3, specifier: `../${target}`, target });
    expect(breaksOf(edge('http/admin/rules-routes.ts', 'cli/run-simulate.ts'))).toEqual([
      'http/ and cli/ never import each other',
    ]);
    expect(breaksOf({ file: 'domain/x.ts', line: 1, specifier: 'pino' })).toEqual(['domain/ imports only zod']);
    expect(breaksOf(edge('cli/commands/serve.ts', 'app/main.ts'))).toEqual([]);
    const loop = folderCycles([edge('config/a.ts', 'rules/b.ts'), edge('rules/b.ts', 'config/c.ts')]);
    expect(loop.map((c) => c.folders)).toEqual([['config', 'rules']]);
  });
});
