import type { ASTNode } from '@marcbachmann/cel-js';
import { children, macroVariable } from './cel-ast.ts';
import { RE2_MATCHES } from './cel.ts';
import { MAX_PROGRAM_SIZE, re2 } from './re2.ts';

/**
 * A static upper bound on what one condition costs per event, computed from its AST when the
 * rules are compiled, after cel-go's cost estimator: steps that do not depend on the event
 * (`fixed`), steps per character of the event (`perChar`), and whether the cost grows with the
 * square of the event's size (`squared`), which is refused. CEL has no loops, so only
 * comprehensions (`all`, `exists`, `exists_one`, `map`, `filter`) multiply: one over the event's
 * data inside another over it, or one comparing each element with other event data, is the
 * quadratic case. Only `incident` is event data: services, windows and vips are config, bounded
 * by the files' own size limits.
 */
export interface Cost {
  readonly fixed: number;
  readonly perChar: number;
  /**
   * Steps per character of the element a comprehension over event data is at (summed over elements: per character of
   * the event).
   */
  readonly perElementChar: number;
  readonly squared: boolean;
  /** Where the squared cost starts, for the error message. */
  readonly at?: number;
}

/** What a value may be as large as: a config-sized constant, the event, or one element of a list from the event. */
type Kind = 'const' | 'element' | 'data';
type Scope = ReadonlyMap<string, Kind>;

export interface CostOptions {
  /** The size of `vips`, known with the config. */
  readonly vips?: number;
}

/** A list in the config (a service's field) is assumed this long: a catalogue entry names a few audiences or CIs. */
const CONFIG_LIST = 100;
/**
 * Steps per character a string function reads (`size`, `contains`, `lowerAscii`, a comparison):
 * iterating a string costs 5–30 ns a character on a 2.5 GHz core, a regex instruction on one
 * character about 1 ns, which is one step.
 */
const CHAR_STEPS = 10;
const ZERO: Cost = { fixed: 0, perChar: 0, perElementChar: 0, squared: false };
const KIND_RANK = { const: 0, element: 1, data: 2 } as const;

const add = (...costs: Cost[]): Cost =>
  costs.reduce(
    (a, b) => ({
      fixed: a.fixed + b.fixed,
      perChar: a.perChar + b.perChar,
      perElementChar: a.perElementChar + b.perElementChar,
      squared: a.squared || b.squared,
      ...((a.at ?? b.at) !== undefined ? { at: a.at ?? b.at! } : {}),
    }),
    ZERO,
  );
const steps = (fixed: number): Cost => ({ ...ZERO, fixed });
/** Linear work on a value of this kind: a comparison, a concatenation, `contains`, a regex step. */
const linear = (kind: Kind, per: number): Cost =>
  kind === 'data'
    ? { ...ZERO, fixed: 1, perChar: per }
    : kind === 'element'
      ? { ...ZERO, fixed: 1, perElementChar: per }
      : steps(per);

class Estimator {
  readonly #vips: number;
  constructor(opts: CostOptions) {
    this.#vips = opts.vips ?? CONFIG_LIST;
  }

  kind(node: ASTNode, scope: Scope): Kind {
    if (node.op === 'id') return node.args === 'incident' ? 'data' : (scope.get(node.args) ?? 'const');
    if (node.op === 'value') return 'const';
    let kind: Kind = 'const';
    for (const child of children(node)) {
      const k = this.kind(child, scope);
      if (KIND_RANK[k] > KIND_RANK[kind]) kind = k;
    }
    return kind;
  }

  cost(node: ASTNode, scope: Scope): Cost {
    switch (node.op) {
      case 'value':
      case 'id':
        return steps(1);
      case '.':
      case '.?':
      case '[]':
      case '[?]':
      case '&&':
      case '||':
      case '?:':
      case '!_':
      case '-_':
      case 'list':
      case 'map':
        return add(steps(1), ...children(node).map((c) => this.cost(c, scope)));
      case 'call':
        if (node.args[0] === 'has') return steps(1);
        return add(...node.args[1].map((c) => add(this.cost(c, scope), linear(this.kind(c, scope), CHAR_STEPS))));
      case 'rcall':
        return this.#method(node, scope);
      default: {
        // Comparisons and arithmetic: linear in their operands unless one side is a literal (`== "x"` stops at its
        // length).
        const [l, r] = node.args as [ASTNode, ASTNode];
        const literalSide = l.op === 'value' || r.op === 'value';
        const kind = literalSide ? 'const' : this.kind(node, scope);
        return add(
          this.cost(l, scope),
          this.cost(r, scope),
          linear(node.op === 'in' ? this.kind(r, scope) : kind, CHAR_STEPS),
        );
      }
    }
  }

  #method(node: Extract<ASTNode, { op: 'rcall' }>, scope: Scope): Cost {
    const [name, receiver, args] = node.args;
    const variable = macroVariable(node);
    if (variable) return this.#comprehension(node, receiver, variable, args.slice(1), scope);
    if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && args[0]?.op === 'id') {
      const inner = new Map(scope).set(args[0].args, this.kind(args[1]!, scope));
      return add(steps(1), this.cost(args[1]!, scope), this.cost(args[2]!, inner));
    }
    const parts = add(this.cost(receiver, scope), ...args.map((a) => this.cost(a, scope)));
    if (name === RE2_MATCHES) {
      const pattern = args[0]!;
      const program =
        pattern.op === 'value' && typeof pattern.args === 'string' ? re2(pattern.args).programSize() : MAX_PROGRAM_SIZE;
      return add(parts, linear(this.kind(receiver, scope), program));
    }
    return add(parts, ...[receiver, ...args].map((a) => linear(this.kind(a, scope), CHAR_STEPS)));
  }

  #comprehension(node: ASTNode, receiver: ASTNode, variable: string, body: readonly ASTNode[], scope: Scope): Cost {
    const over = this.cost(receiver, scope);
    const literal = receiver.op === 'list' || receiver.op === 'map';
    const isVips = receiver.op === 'id' && receiver.args === 'vips';
    const kind = literal || isVips ? 'const' : this.kind(receiver, scope);
    if (kind === 'const') {
      // A literal list's elements are as large as what they hold.
      const inner = new Map(scope).set(variable, literal ? this.kind(receiver, scope) : 'const');
      const each = add(steps(1), ...body.map((b) => this.cost(b, inner)));
      const size = literal ? receiver.args.length : isVips ? this.#vips : CONFIG_LIST;
      return add(over, {
        ...each,
        fixed: each.fixed * size,
        perChar: each.perChar * size,
        perElementChar: each.perElementChar * size,
      });
    }
    // Over the event's data (or an element of it): work on the element summed over the elements is
    // linear; work on anything else (outer elements included) repeated per element is the square.
    const inner = new Map([...scope].map(([k, v]): [string, Kind] => [k, v === 'element' ? 'data' : v])).set(
      variable,
      'element',
    );
    const each = add(steps(1), ...body.map((b) => this.cost(b, inner)));
    const squared = each.squared || each.perChar > 0;
    const at = each.at ?? (squared ? node.start : undefined);
    const grows = each.fixed + each.perElementChar;
    const spread: Cost = kind === 'data' ? { ...ZERO, perChar: grows } : { ...ZERO, perElementChar: grows };
    return add(over, { ...spread, squared, ...(at === undefined ? {} : { at }) });
  }
}

/** The condition's estimated cost per event (see Cost). */
export function estimateCost(ast: ASTNode, opts: CostOptions = {}): Cost {
  return new Estimator(opts).cost(ast, new Map());
}
