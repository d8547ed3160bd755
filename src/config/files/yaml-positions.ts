import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: true }), lines };
}

/**
 * Where a zod path points in the YAML source. The deepest node that exists is used, so a
 * missing key points at the mapping that should hold it.
 */
export function positionOf(parsed: ParsedYaml, path: ReadonlyArray<string | number>): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = parsed.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = parsed.lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}
