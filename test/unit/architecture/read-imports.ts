import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import of a file under src/: where it is, what it names, and where that lands. */
export interface ImportEdge {
  /** Path from src/, with forward slashes: `cli/commands/serve.ts`. */
  file: string;
  line: number;
  /** The specifier as written; `<computed>` for a dynamic import whose path is not a literal. */
  specifier: string;
  /** Path from src/ when the specifier is relative and lands inside src/; undefined for packages. */
  target?: string;
}

// The project's own TypeScript (7, native) has no JavaScript compiler API, so imports are read with
// patterns. They stay sound because the code is formatted: every static import and re-export starts
// at column 0 and its clause holds only names, braces, commas, `*`, `as` and `type`, so a template
// string or an `export const` can never match. The self-test in import-matrix.test.ts pins this.
const STATIC = /^(?:import|export)\s+(?:type\s+)?(?:[\w$*\s{},]*?\s*from\s*)?(['"])([^'"\n]+)\1/gm;
const DYNAMIC = /(?<![\w$.])import\s*\(\s*([^)]*?)\s*\)/g;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Every import in one file's text: static imports, re-exports, side-effect imports and import(). */
export function importsIn(text: string): { line: number; specifier: string }[] {
  const found: { line: number; specifier: string }[] = [];
  for (const m of text.matchAll(STATIC)) found.push({ line: lineAt(text, m.index), specifier: m[2]! });
  for (const m of text.matchAll(DYNAMIC)) {
    const line = lineAt(text, m.index);
    const source = text.split('\n')[line - 1]!.trimStart();
    // Prose in comments mentions import() without calling it.
    if (source.startsWith('//') || source.startsWith('*') || source.startsWith('/*')) continue;
    const literal = /^(['"`])([^'"`$]+)\1$/.exec(m[1]!);
    found.push({ line, specifier: literal ? literal[2]! : '<computed>' });
  }
  return found.sort((a, b) => a.line - b.line);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (path: string) => path.split(sep).join('/');

/** Every import of every .ts file under srcDir. */
export function readImports(srcDir: string): ImportEdge[] {
  return tsFiles(srcDir).flatMap((path) => {
    const file = posix(relative(srcDir, path));
    return importsIn(readFileSync(path, 'utf8')).map(({ line, specifier }) => {
      if (!specifier.startsWith('.')) return { file, line, specifier };
      const target = posix(relative(srcDir, resolve(dirname(path), specifier)));
      return { file, line, specifier, target };
    });
  });
}
