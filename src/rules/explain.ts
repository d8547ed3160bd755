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
  /**
   * The condition never evaluated this part: another decided first (`false && …`, `true || …`), or it sits in the
   * branch of `?:` not taken, or behind the `has()` that guards it.
   */
  readonly notEvaluated?: true;
}

/**
 * The condition's connectives over its leaves, so an explanation follows what CEL evaluated: the library itself runs
 * each leaf; this only combines their outcomes as `&&`, `||`, `!` and `?:` do.
 */
export type ExplainTree =
  | { readonly op: 'leaf'; readonly leaf: number }
  | { readonly op: 'literal'; readonly value: unknown }
  | { readonly op: '&&' | '||'; readonly args: readonly [ExplainTree, ExplainTree] }
  | { readonly op: '!'; readonly arg: ExplainTree }
  | { readonly op: '?:'; readonly args: readonly [ExplainTree, ExplainTree, ExplainTree] }
  /** A part that could not be compiled on its own: its outcome is unknown, as an error's would be. */
  | { readonly op: 'opaque' };

export interface ExplainPlan {
  readonly leaves: readonly Leaf[];
  readonly tree: ExplainTree;
}

const CONNECTIVES = new Set(['&&', '||', '?:', '!_']);

/**
 * Splits a condition on `&&`, `||`, `!` and `?:` down to its leaves, each compiled on its own
 * once per config version, so an explanation can show the value every part had (after
 * json-rules-engine's per-condition results). Literals are left out of the list: their value is their text.
 */
export function explainPlan(ast: ASTNode, env?: CelEnvironment): ExplainPlan {
  const leaves: Leaf[] = [];
  const walk = (node: ASTNode): ExplainTree => {
    if (CONNECTIVES.has(node.op)) {
      const args = node.args as ASTNode | ASTNode[];
      const trees = (Array.isArray(args) ? args : [args]).map(walk);
      if (node.op === '!_') return { op: '!', arg: trees[0]! };
      if (node.op === '?:') return { op: '?:', args: [trees[0]!, trees[1]!, trees[2]!] };
      return { op: node.op as '&&' | '||', args: [trees[0]!, trees[1]!] };
    }
    if (node.op === 'value') return { op: 'literal', value: node.args };
    const text = node.input.slice(node.range.start, node.range.end).trim();
    const known = leaves.findIndex((l) => l.text === text);
    if (known >= 0) return { op: 'leaf', leaf: known };
    try {
      leaves.push({ text, program: compileCel(text, undefined, env) });
      return { op: 'leaf', leaf: leaves.length - 1 };
    } catch {
      // A part that only means something inside its condition is left out of explanations rather
      // than failing a condition that compiled.
      return { op: 'opaque' };
    }
  };
  const tree = walk(ast);
  return { leaves, tree };
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

/** What a condition, or a part of it, came to: a value, or why it could not be evaluated. */
export type Outcome = { readonly value: unknown } | { readonly error: string };
const FALSE = { value: false } as const;
const TRUE = { value: true } as const;
const UNKNOWN: Outcome = { error: 'not explained' };
const isBool = (o: Outcome, b: boolean) => 'value' in o && o.value === b;

/**
 * The value of every leaf CEL evaluated, and which it never reached. `a && b` evaluates `b` unless `a` is false
 * (an error in `a` is forgiven when `b` is false); `||` the same with true; `c ? a : b` only the branch taken.
 */
export function explainLeaves(plan: ExplainPlan, ctx: CelContext): LeafValue[] {
  return explainWithOutcome(plan, ctx).leaves;
}

/**
 * The leaves and what the connectives made of them: the condition's own outcome, which a property test holds to
 * CEL's.
 */
export function explainWithOutcome(plan: ExplainPlan, ctx: CelContext): { leaves: LeafValue[]; outcome: Outcome } {
  const seen = new Map<number, LeafValue>();
  const leaf = (i: number): Outcome => {
    const l = plan.leaves[i]!;
    let out: LeafValue;
    try {
      out = { expr: l.text, value: clipExplained(fromCel(l.program(ctx))) };
    } catch (err) {
      out = { expr: l.text, error: firstLine(err) };
    }
    if (!seen.get(i) || seen.get(i)!.notEvaluated) seen.set(i, out);
    return 'error' in out ? { error: out.error! } : { value: out.value };
  };
  const skip = (t: ExplainTree): void => {
    if (t.op === 'leaf') {
      if (!seen.has(t.leaf)) seen.set(t.leaf, { expr: plan.leaves[t.leaf]!.text, notEvaluated: true });
    } else if (t.op === '!') skip(t.arg);
    else if (t.op === '&&' || t.op === '||' || t.op === '?:') for (const a of t.args) skip(a);
  };
  const run = (t: ExplainTree): Outcome => {
    switch (t.op) {
      case 'leaf':
        return leaf(t.leaf);
      case 'literal':
        return { value: t.value };
      case 'opaque':
        return UNKNOWN;
      case '!': {
        const a = run(t.arg);
        return 'value' in a && typeof a.value === 'boolean' ? { value: !a.value } : a;
      }
      case '&&':
      case '||': {
        const decides = t.op === '||';
        const a = run(t.args[0]);
        if (isBool(a, decides)) {
          skip(t.args[1]);
          return a;
        }
        const b = run(t.args[1]);
        if (isBool(b, decides)) return b;
        if ('error' in a) return a;
        if ('error' in b) return b;
        return decides ? FALSE : TRUE;
      }
      case '?:': {
        const c = run(t.args[0]);
        if (!isBool(c, true) && !isBool(c, false)) {
          skip(t.args[1]);
          skip(t.args[2]);
          return 'error' in c ? c : UNKNOWN;
        }
        const [taken, other] = isBool(c, true) ? [t.args[1], t.args[2]] : [t.args[2], t.args[1]];
        skip(other);
        return run(taken);
      }
    }
  };
  const outcome = run(plan.tree);
  return { leaves: plan.leaves.map((l, i) => seen.get(i) ?? { expr: l.text, notEvaluated: true }), outcome };
}
