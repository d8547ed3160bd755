import type { ASTNode } from '@marcbachmann/cel-js';
import { compileCel, firstLine, fromCel, type CelContext, type CelEnvironment, type CelProgram } from './cel.ts';

/** A part of a condition with a value of its own: a comparison, a call, an `in`, a macro. */
export interface Leaf {
  readonly text: string;
  readonly program: CelProgram;
}

/** What one part of a condition evaluated to, for the admin reading why a rule matched or not. */
export interface LeafValue {
  /** The part's source text, as written in rules.yaml. */
  readonly expr: string;
  readonly value?: unknown;
  /** Why the part could not be evaluated (a missing field, a type mismatch). */
  readonly error?: string;
}

const CONNECTIVES = new Set(['&&', '||', '?:', '!_']);

/**
 * Splits a condition on `&&`, `||`, `!` and `?:` down to its leaves, each compiled on its own
 * once per config version, so an explanation can show the value every part had (after
 * json-rules-engine's per-condition results). Literals are left out: their value is their text.
 */
export function leavesOf(ast: ASTNode, env?: CelEnvironment): Leaf[] {
  const out: Leaf[] = [];
  const walk = (node: ASTNode) => {
    if (CONNECTIVES.has(node.op)) {
      const args = node.args as ASTNode | ASTNode[];
      for (const child of Array.isArray(args) ? args : [args]) walk(child);
      return;
    }
    if (node.op === 'value') return;
    const text = node.input.slice(node.range.start, node.range.end).trim();
    if (out.some((l) => l.text === text)) return;
    try {
      out.push({ text, program: compileCel(text, undefined, env) });
    } catch {
      // A part that only means something inside its condition is left out of explanations rather
      // than failing a condition that compiled.
    }
  };
  walk(ast);
  return out;
}

/**
 * How much of a part's value an explanation keeps. A value can be as large as the event (a
 * description, a list built from it); explanations go on the timeline and into simulate answers,
 * where an admin needs to see what was compared, not megabytes of it.
 */
export const EXPLAINED = { chars: 256, items: 20, depth: 6 } as const;

/** The value cut to EXPLAINED's size, each cut marked with what was left out. */
export function clipExplained(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > EXPLAINED.chars
      ? `${value.slice(0, EXPLAINED.chars)}… (${value.length - EXPLAINED.chars} more characters)`
      : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= EXPLAINED.depth) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, EXPLAINED.items).map((v) => clipExplained(v, depth + 1));
    return value.length > EXPLAINED.items ? [...kept, `… (${value.length - EXPLAINED.items} more items)`] : kept;
  }
  const entries = Object.entries(value);
  const kept = Object.fromEntries(
    entries
      .slice(0, EXPLAINED.items)
      .map(([k, v]) => [clipExplained(k, depth + 1) as string, clipExplained(v, depth + 1)]),
  );
  return entries.length > EXPLAINED.items ? { ...kept, '…': `${entries.length - EXPLAINED.items} more entries` } : kept;
}

export function explainLeaves(leaves: readonly Leaf[], ctx: CelContext): LeafValue[] {
  return leaves.map((leaf) => {
    try {
      return { expr: leaf.text, value: clipExplained(fromCel(leaf.program(ctx))) };
    } catch (err) {
      return { expr: leaf.text, error: firstLine(err) };
    }
  });
}
