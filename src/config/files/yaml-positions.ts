import { LineCounter, isMap, isNode, isScalar, parseDocument, Scalar, type Document, type Node } from 'yaml';

export interface ParsedYaml {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

type YamlPath = ReadonlyArray<string | number>;

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  return { text, doc: parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true }), lines };
}

const at = (parsed: ParsedYaml, offset: number): Position => {
  const { line, col } = parsed.lines.linePos(offset);
  return { line, column: col };
};

/** The deepest node on `path` that exists, so a missing key points at the mapping that should hold it. */
function deepestNode(parsed: ParsedYaml, path: YamlPath): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node;
  }
  return undefined;
}

/** Where a (zod) path points in the YAML source; line and column are 1-based, as editors show them. */
export function positionOf(parsed: ParsedYaml, path: YamlPath): Position {
  const node = deepestNode(parsed, path);
  return node?.range ? at(parsed, node.range[0]) : { line: 1, column: 1 };
}

/** Where a key of the mapping at `path` is written: for "unrecognized key" problems. */
export function positionOfKey(parsed: ParsedYaml, path: YamlPath, key: string): Position {
  const node = parsed.doc.getIn(path, true) ?? (path.length === 0 ? parsed.doc.contents : undefined);
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isNode(pair.key) && pair.key.range) return at(parsed, pair.key.range[0]);
  }
  return positionOf(parsed, path);
}

/**
 * Where character `offset` of a string value is in the source: for an error inside a CEL
 * expression. Works for plain and quoted one-line values and for block scalars (`|`, `>`) whose
 * lines fold plainly; anything else (escapes, blank lines in folded text) gives the value's start.
 */
export function positionInScalar(parsed: ParsedYaml, path: YamlPath, offset: number): Position {
  const node = parsed.doc.getIn(path, true);
  if (!isScalar(node) || !node.range || typeof node.value !== 'string') return positionOf(parsed, path);
  const start = node.range[0];
  const source = parsed.text.slice(start, node.range[1]);
  const value = node.value;
  if (node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    const quote = node.type === Scalar.PLAIN ? 0 : 1;
    if (source.slice(quote, quote + value.length) === value)
      return at(parsed, start + quote + Math.min(offset, value.length));
    return at(parsed, start);
  }
  // Block scalar: a header line, then content lines sharing one indentation. Folding (`>`) joins
  // lines with a space, but keeps the line break next to a more-indented line (YAML 1.2 §8.1.3).
  const headerEnd = source.indexOf('\n');
  if (headerEnd < 0) return at(parsed, start);
  const lines = source.slice(headerEnd + 1).split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const content = lines.map((l) => l.slice(indent));
  while (content.length && content.at(-1) === '') content.pop();
  if (content.some((l) => l === '')) return at(parsed, start);
  const moreIndented = (l: string) => l.startsWith(' ') || l.startsWith('\t');
  const joined = content.reduce((acc, line, i) => {
    if (i === 0) return line;
    const literal = node.type === Scalar.BLOCK_LITERAL || moreIndented(line) || moreIndented(content[i - 1]!);
    return `${acc}${literal ? '\n' : ' '}${line}`;
  }, '');
  if (joined !== value.replace(/\n+$/, '')) return at(parsed, start);
  let lineStart = start + headerEnd + 1;
  let remaining = offset;
  for (const [i, line] of content.entries()) {
    if (remaining <= line.length) return at(parsed, lineStart + Math.min(indent, lines[i]!.length) + remaining);
    remaining -= line.length + 1;
    lineStart += lines[i]!.length + 1;
  }
  return at(parsed, start);
}
