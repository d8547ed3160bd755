import type { ASTNode } from '@marcbachmann/cel-js';
import { compileCel, fromCel, type CelContext, type CelProgram } from './cel.ts';

/** A leaf of a rule's condition: the smallest part with a value of its own (a comparison, a call, `in`). */
export interface Leaf {
  readonly text: string;
  readonly program: CelProgram;
}

export interface LeafValue {
  readonly expr: string;
  readonly value?: unknown;
  readonly error?: string;
}

const CONNECTIVES = new Set(['&&', '||', '?:', '!_']);

/**
 * Splits a condition on `&&`, `||`, `!` and `?:` down to its leaves, each compiled on its own, so
 * an explanation can show the value every part had (after json-rules-engine's condition results).
 */
export function leavesOf(ast: ASTNode): Leaf[] {
  const out: Leaf[] = [];
  const walk = (node: ASTNode) => {
    if (CONNECTIVES.has(node.op)) {
      const args = node.args as ASTNode | ASTNode[];
      for (const child of Array.isArray(args) ? args : [args]) walk(child);
      return;
    }
    const text = node.input.slice(node.range.start, node.range.end).trim();
    if (!out.some((l) => l.text === text)) out.push({ text, program: compileCel(text) });
  };
  walk(ast);
  return out;
}

export function explainLeaves(leaves: readonly Leaf[], ctx: CelContext): LeafValue[] {
  return leaves.map((leaf) => {
    try {
      return { expr: leaf.text, value: fromCel(leaf.program(ctx)) };
    } catch (err) {
      return { expr: leaf.text, error: (err as Error).message.split('\n')[0] };
    }
  });
}
