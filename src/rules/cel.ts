import { Environment, type ASTNode } from '@marcbachmann/cel-js';

/**
 * The CEL environment rules are written in. Variables are dynamic maps: the incident's fields
 * vary by source, and a rule that reads a field an event lacks simply does not match (guard
 * with `has(incident.caller)` where that matters). Numbers are CEL ints: `incident.priority == 1`.
 */
export const CEL_VARIABLES = ['incident', 'service', 'window', 'vips', 'now'] as const;

// Declared `dyn`: measurably faster per evaluation than `map` in this library (bench/rules.ts),
// and the shapes are validated by zod before they get here anyway.
const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false })
  .registerVariable('incident', 'dyn')
  .registerVariable('service', 'dyn')
  .registerVariable('window', 'dyn')
  .registerVariable('vips', 'dyn')
  .registerVariable('now', 'dyn');

export type CelContext = Record<(typeof CEL_VARIABLES)[number], unknown>;
export type CelProgram = ((ctx: CelContext) => unknown) & { readonly ast: ASTNode };

export class CelCompileError extends Error {
  readonly code = 'CEL_COMPILE';
  /** Character offset inside the expression, when the parser knows it. */
  readonly offset: number | undefined;
  constructor(message: string, offset: number | undefined) {
    super(message);
    this.name = 'CelCompileError';
    this.offset = offset;
  }
}

/** Parses and type-checks once (per config version); the program is then evaluated per event. */
export function compileCel(expression: string): CelProgram {
  try {
    const program = env.parse(expression) as unknown as CelProgram;
    const checked = env.check(expression);
    if (!checked.valid) throw checked.error;
    return program;
  } catch (err) {
    const e = err as Error & { range?: { start: number }; node?: { range?: { start: number } } };
    // The library's message carries an ASCII caret drawing; the first line is the reason.
    const reason = (e.message ?? String(err)).split('\n')[0]!.trim();
    throw new CelCompileError(reason, e.range?.start ?? e.node?.range?.start);
  }
}

/** Plain JS facts → CEL values: integral numbers become ints (BigInt), undefined fields vanish. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value instanceof Date) return BigInt(value.getTime());
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    return out;
  }
  return value;
}

/** CEL values → JSON-safe values for explanations and the timeline. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}
