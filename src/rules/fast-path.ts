import type { ASTNode } from '@marcbachmann/cel-js';
import type { RE2JS } from 're2js';
import { RE2_MATCHES, type CelContext } from './cel.ts';
import { re2 } from './re2.ts';
import {
  COMPARE,
  isPlain,
  kindOf,
  ORDERED,
  STRING_METHODS,
  STRING_TRANSFORMS,
  truth,
  UNKNOWN,
} from './fast-path-values.ts';

/**
 * A partial evaluator for the common parts of conditions: fact paths, literals, comparisons,
 * `has()`, `in`, the string methods rules use (`contains`, `startsWith`, `endsWith`,
 * `lowerAscii`, `upperAscii`, `matches`, `size`), `exists`/`all` over lists, and `&&`, `||`, `!`,
 * `?:` over them. It answers true or false only when the answer is certain and equal to what the
 * CEL library would return, and "don't know" otherwise, in which case the library evaluates the
 * condition. CEL's `&&`/`||` are commutative over errors (`error && false` is false), so one
 * certainly-false conjunct decides a rule whatever the other parts would do.
 *
 * Why: the library interprets its AST node by node (about 0.5–1.5 µs per condition on a 2.5 GHz
 * core); plain closures are ~10× cheaper, and a rule set is mostly conditions that do not match. A property test holds
 * this file to the library's results (test/unit/rules/fast-path.property.test.ts); anything it does not understand
 * stays the library's.
 */
export type FastPath = (ctx: CelContext) => boolean | undefined;

type Scope = { readonly name: string; readonly value: unknown; readonly up: Scope } | undefined;
type Val = (ctx: CelContext, scope: Scope) => unknown;

const unknown: Val = () => UNKNOWN;

class Compiler {
  /** Whether any part was understood; a condition with none gets no fast path. */
  understood = false;

  compile(node: ASTNode, bound: ReadonlySet<string>): Val {
    const val = this.#node(node, bound);
    if (!val) return unknown;
    return val;
  }

  #node(node: ASTNode, bound: ReadonlySet<string>): Val | undefined {
    switch (node.op) {
      case 'value': {
        const v = node.args;
        return kindOf(v) ? () => v : undefined;
      }
      case 'id':
        return this.#id(node.args, bound);
      case '.':
        return this.#field(node.args, bound);
      case 'list':
        return this.#list(node.args, bound);
      case '&&':
      case '||':
        return this.#logic(node.op, node.args, bound);
      case '!_': {
        const inner = this.compile(node.args, bound);
        return (ctx, scope) => {
          const v = truth(inner(ctx, scope));
          return v === undefined ? UNKNOWN : !v;
        };
      }
      case '?:': {
        const [c, t, f] = node.args.map((n) => this.compile(n, bound)) as [Val, Val, Val];
        return (ctx, scope) => {
          const v = truth(c(ctx, scope));
          return v === undefined ? UNKNOWN : v ? t(ctx, scope) : f(ctx, scope);
        };
      }
      case 'in':
        return this.#in(node.args, bound);
      case 'call':
        return node.args[0] === 'has' && node.args[1].length === 1 ? this.#has(node.args[1][0]!, bound) : undefined;
      case 'rcall':
        return this.#method(node.args, bound);
      default:
        return node.op in COMPARE ? this.#compare(node.op, node.args as [ASTNode, ASTNode], bound) : undefined;
    }
  }

  #id(name: string, bound: ReadonlySet<string>): Val {
    if (bound.has(name)) {
      return (_ctx, scope) => {
        for (let s = scope; s; s = s.up) if (s.name === name) return s.value;
        return UNKNOWN;
      };
    }
    const key = name as keyof CelContext;
    return (ctx) => (Object.hasOwn(ctx, key) && ctx[key] !== undefined ? ctx[key] : UNKNOWN);
  }

  /** `a.b.c` as one closure walking the keys: the common case, kept to one call per path. */
  #field([inner, field]: [ASTNode, string], bound: ReadonlySet<string>): Val | undefined {
    const keys = [field];
    let root = inner;
    while (root.op === '.') {
      keys.unshift(root.args[1]);
      root = root.args[0];
    }
    if (root.op === 'id' && !bound.has(root.args)) {
      const name = root.args as keyof CelContext;
      return (ctx) => {
        let o: unknown = Object.hasOwn(ctx, name) ? ctx[name] : undefined;
        for (const k of keys) {
          if (!isPlain(o) || !Object.hasOwn(o, k)) return UNKNOWN;
          o = o[k];
        }
        return o === undefined ? UNKNOWN : o;
      };
    }
    if (inner.op === 'value') return undefined;
    const get = this.#node(inner, bound);
    if (!get) return undefined;
    return (ctx, scope) => {
      const o = get(ctx, scope);
      return isPlain(o) && Object.hasOwn(o, field) && o[field] !== undefined ? o[field] : UNKNOWN;
    };
  }

  #list(items: ASTNode[], bound: ReadonlySet<string>): Val | undefined {
    const vals = items.map((n) => this.#node(n, bound));
    if (vals.some((v) => !v)) return undefined;
    return (ctx, scope) => vals.map((v) => v!(ctx, scope));
  }

  #logic(op: '&&' | '||', args: [ASTNode, ASTNode], bound: ReadonlySet<string>): Val {
    const [l, r] = args.map((n) => this.compile(n, bound)) as [Val, Val];
    const decisive = op === '||';
    return (ctx, scope) => {
      const a = truth(l(ctx, scope));
      if (a === decisive) return decisive;
      const b = truth(r(ctx, scope));
      if (b === decisive) return decisive;
      return a === !decisive && b === !decisive ? !decisive : UNKNOWN;
    };
  }

  #compare(op: string, [left, right]: [ASTNode, ASTNode], bound: ReadonlySet<string>): Val | undefined {
    const cmp = COMPARE[op]!;
    const a = this.#node(left, bound);
    const b = this.#node(right, bound);
    if (!a || !b) return undefined;
    const equality = op === '==' || op === '!=';
    this.understood = true;
    // One side a literal (`service.tier == 1`): its kind is known once, here.
    const literalSide = right.op === 'value' ? 'right' : left.op === 'value' ? 'left' : undefined;
    if (literalSide) {
      const lit = (literalSide === 'right' ? right.args : left.args) as unknown;
      const other = literalSide === 'right' ? a : b;
      const kind = kindOf(lit);
      if (!kind || (!equality && !ORDERED.has(kind))) return () => UNKNOWN;
      return literalSide === 'right'
        ? (ctx, scope) => {
            const x = other(ctx, scope);
            return kindOf(x) === kind ? cmp(x as never, lit as never) : UNKNOWN;
          }
        : (ctx, scope) => {
            const y = other(ctx, scope);
            return kindOf(y) === kind ? cmp(lit as never, y as never) : UNKNOWN;
          };
    }
    return (ctx, scope) => {
      const x = a(ctx, scope);
      const y = b(ctx, scope);
      const kind = kindOf(x);
      // Mixed kinds (int vs double, int vs string, null, lists) follow rules of the library's own.
      if (!kind || kind !== kindOf(y)) return UNKNOWN;
      if (!equality && !ORDERED.has(kind)) return UNKNOWN;
      return cmp(x as never, y as never);
    };
  }

  #in([left, right]: [ASTNode, ASTNode], bound: ReadonlySet<string>): Val | undefined {
    const a = this.#node(left, bound);
    const b = this.#node(right, bound);
    if (!a || !b) return undefined;
    this.understood = true;
    return (ctx, scope) => {
      const x = a(ctx, scope);
      const list = b(ctx, scope);
      const kind = kindOf(x);
      if (!kind || !Array.isArray(list) || !list.every((e) => kindOf(e) === kind)) return UNKNOWN;
      return list.includes(x);
    };
  }

  #has(target: ASTNode, bound: ReadonlySet<string>): Val | undefined {
    if (target.op !== '.') return undefined;
    const [inner, field] = target.args;
    if (inner.op === 'value') return undefined;
    const get = this.#node(inner, bound);
    if (!get) return undefined;
    this.understood = true;
    return (ctx, scope) => {
      const o = get(ctx, scope);
      return isPlain(o) ? Object.hasOwn(o, field) && o[field] !== undefined : UNKNOWN;
    };
  }

  #method([name, receiver, args]: [string, ASTNode, ASTNode[]], bound: ReadonlySet<string>): Val | undefined {
    if ((name === 'exists' || name === 'all') && args.length === 2 && args[0]!.op === 'id')
      return this.#quantifier(name, receiver, args[0]!.args as string, args[1]!, bound);
    const recv = this.#node(receiver, bound);
    if (!recv) return undefined;
    const transform = STRING_TRANSFORMS[name];
    if (transform && args.length === 0) {
      this.understood = true;
      return (ctx, scope) => {
        const s = recv(ctx, scope);
        return typeof s === 'string' ? transform(s) : UNKNOWN;
      };
    }
    if (name === RE2_MATCHES && args.length === 1 && args[0]!.op === 'value' && typeof args[0]!.args === 'string') {
      let re: RE2JS;
      try {
        re = re2(args[0]!.args);
      } catch {
        return undefined; // the library reports the bad pattern at run time
      }
      this.understood = true;
      return (ctx, scope) => {
        const s = recv(ctx, scope);
        return typeof s === 'string' ? re.test(s) : UNKNOWN;
      };
    }
    const method = STRING_METHODS[name];
    const arg = args.length === 1 ? this.#node(args[0]!, bound) : undefined;
    if (!method || !arg) return undefined;
    this.understood = true;
    return (ctx, scope) => {
      const s = recv(ctx, scope);
      const a = arg(ctx, scope);
      return typeof s === 'string' && typeof a === 'string' ? method(s, a) : UNKNOWN;
    };
  }

  /** Left to right, stopping at the first element that decides; an unknown one before that makes the whole unknown. */
  #quantifier(
    name: 'exists' | 'all',
    receiver: ASTNode,
    variable: string,
    predicate: ASTNode,
    bound: ReadonlySet<string>,
  ): Val | undefined {
    const list = this.#node(receiver, bound);
    if (!list) return undefined;
    const pred = this.compile(predicate, new Set([...bound, variable]));
    const decisive = name === 'exists';
    this.understood = true;
    return (ctx, scope) => {
      const items = list(ctx, scope);
      if (!Array.isArray(items)) return UNKNOWN;
      for (const value of items) {
        const r = truth(pred(ctx, { name: variable, value, up: scope }));
        if (r === decisive) return decisive;
        if (r === undefined) return UNKNOWN;
      }
      return !decisive;
    };
  }
}

/** The fast path of a condition, or undefined when no part of it is one the fast path understands. */
export function compileFastPath(ast: ASTNode): FastPath | undefined {
  const compiler = new Compiler();
  const root = compiler.compile(ast, new Set());
  if (!compiler.understood) return undefined;
  return (ctx) => truth(root(ctx, undefined));
}
