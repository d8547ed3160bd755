import type { ASTNode } from '@marcbachmann/cel-js';
import { compileCel, firstLine, fromCel, type CelContext, type CelProgram } from './cel.ts';

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
export function leavesOf(ast: ASTNode): Leaf[] {
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
      out.push({ text, program: compileCel(text) });
    } catch {
      // A part that only means something inside its condition is left out of explanations rather
      // than failing a condition that compiled.
    }
  };
  walk(ast);
  return out;
}

export function explainLeaves(leaves: readonly Leaf[], ctx: CelContext): LeafValue[] {
  return leaves.map((leaf) => {
    try {
      return { expr: leaf.text, value: fromCel(leaf.program(ctx)) };
    } catch (err) {
      return { expr: leaf.text, error: firstLine(err) };
    }
  });
}
