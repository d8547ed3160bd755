import { Environment, EvaluationError, type ASTNode } from '@marcbachmann/cel-js';
import { nodes } from './cel-ast.ts';
import { re2, re2Matches, RegexError } from './re2.ts';
import { INCIDENT_SCHEMA, windowSchema, type CelSchema } from './fact-types.ts';

/**
 * The variables a condition sees. Their types are declared (fact-types.ts): `incident` has the
 * fields of an IncidentEvent, `service` those of a catalogue entry, `window` one entry per
 * configured window, so `service.teir`, `window.storm_10m.cuont` or `count >= '5'` is a
 * `file:line:col` error when the rules are compiled, not a rule that silently never matches.
 * A field an event lacks is still absent at run time: `has(incident.caller)` guards it. `now` is a
 * CEL timestamp, so `now.getHours("Europe/London")` and `now - timestamp(incident.updatedAt)` work.
 * Integers are CEL ints, which this library represents as BigInt: facts are converted by toCel.
 */
export const CEL_VARIABLES = ['incident', 'service', 'window', 'vips', 'now'] as const;
export const TIMESTAMP = 'google.protobuf.Timestamp';

/**
 * Parse-time limits on one condition, far above what real conditions need (the longest shipped
 * one has under 60 nodes) and far below what could stall the parser, the checker, or the
 * recursive evaluator; cost.ts bounds what a condition may do per event.
 */
export const CEL_LIMITS = {
  maxAstNodes: 1_000,
  maxDepth: 32,
  maxListElements: 1_000,
  maxMapEntries: 100,
  maxCallArguments: 8,
} as const;
/** A string or bytes literal longer than this is refused. */
export const MAX_LITERAL_LENGTH = 4_096;

/**
 * The library's own `string.matches` runs the native RegExp, whose backtracking takes exponential
 * time on patterns like `^(a+)+$`, and a second overload of the same signature is refused. So every
 * `matches` call is re-pointed, before the check, at this RE2 one (re2.ts); the name never shows.
 */
export const RE2_MATCHES = 'matches_re2';

// Building an Environment is expensive (the library's README): the shared parts once for the process; a config
// version's own declarations (its windows, the catalogue's fields) go on a clone, which shares its parent's registry.
const core = new Environment({
  unlistedVariablesAreDyn: false,
  homogeneousAggregateLiterals: false,
  limits: CEL_LIMITS,
})
  .registerVariable('now', TIMESTAMP)
  .registerFunction(`string.${RE2_MATCHES}(string): bool`, (text: string, pattern: string) => {
    try {
      return re2Matches(text, pattern);
    } catch (err) {
      throw new EvaluationError((err as Error).message);
    }
  });

/** Every fact `dyn`: for a lone expression with no config around it (a test, a probe). Rules never use it. */
const untyped = core
  .clone()
  .registerVariable('incident', 'dyn')
  .registerVariable('service', 'dyn')
  .registerVariable('window', 'dyn')
  .registerVariable('vips', 'dyn');

const withIncident = core
  .clone()
  .registerType('Incident', { schema: INCIDENT_SCHEMA })
  .registerVariable('incident', 'Incident')
  .registerVariable('vips', 'list<string>');

export type CelEnvironment = Environment;

/**
 * The environment one config version's conditions are checked and run in: `service` typed from the
 * catalogue's schema, `window` from the windows the config names.
 */
export function factEnvironment(facts: {
  readonly service: CelSchema;
  readonly windows: readonly string[];
}): CelEnvironment {
  return withIncident
    .clone()
    .registerType('Service', { schema: facts.service })
    .registerVariable('service', 'Service')
    .registerType('Windows', { schema: windowSchema(facts.windows) })
    .registerVariable('window', 'Windows');
}

export type CelContext = Record<(typeof CEL_VARIABLES)[number], unknown>;

const CONVERTED = ['incident', 'service', 'window'] as const;

/**
 * The facts as the environment's typed values, converted once per event: the library converts a plain object to its
 * declared type on every evaluation, so 100 rules would convert the same incident 100 times, which made the typed
 * conditions about 40% slower than `dyn` ones (bench/rules.ts). A value the library refuses is left as it was, so
 * the evaluation that reads it reports why.
 */
export function typedContext(env: CelEnvironment): (ctx: CelContext) => CelContext {
  const identity = CONVERTED.map((name) => [name, compileCel(name, undefined, env)] as const);
  return (ctx) => {
    const out = { ...ctx };
    for (const [name, program] of identity) {
      try {
        out[name] = program(ctx);
      } catch {
        // Left plain: the rule's own evaluation fails on it with the library's reason.
      }
    }
    return out;
  };
}
export type CelProgram = ((ctx: CelContext) => unknown) & { readonly ast: ASTNode };

export class CelCompileError extends Error {
  readonly code = 'CEL_COMPILE';
  /** Character offset inside the expression, when the parser or checker knows it. */
  readonly offset: number | undefined;
  constructor(message: string, offset: number | undefined) {
    super(message);
    this.name = 'CelCompileError';
    this.offset = offset;
  }
}

/** The library's messages carry an ASCII caret drawing after the first line; the first line is the reason. */
export const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim().replaceAll(RE2_MATCHES, 'matches');

const LIMITS_SAID: Record<keyof typeof CEL_LIMITS, (n: string) => string> = {
  maxAstNodes: (n) => `the condition is too large: more than ${n} parts`,
  maxDepth: (n) => `the condition is nested more than ${n} deep`,
  maxListElements: (n) => `a list of more than ${n} elements`,
  maxMapEntries: (n) => `a map of more than ${n} entries`,
  maxCallArguments: (n) => `a call with more than ${n} arguments`,
};

/** The parser says "Exceeded maxDepth (32)"; the rule's author reads what that means, and the limit's name. */
function limitMessage(message: string): string {
  const m = /^Exceeded (\w+) \((\d+)\)$/.exec(message);
  const said = m && LIMITS_SAID[m[1] as keyof typeof CEL_LIMITS];
  return said ? `${said(m[2]!)} (${m[1]})` : message;
}

/**
 * Before the check: `matches` calls go to RE2, a literal pattern is compiled now (so a pattern RE2
 * refuses, a backreference or a lookaround, fails `rules check`, not each event), and long
 * literals are refused.
 */
function prepare(ast: ASTNode): void {
  for (const node of nodes(ast)) {
    if (
      node.op === 'value' &&
      (typeof node.args === 'string' || node.args instanceof Uint8Array) &&
      node.args.length > MAX_LITERAL_LENGTH
    ) {
      throw new CelCompileError(`a literal longer than ${MAX_LITERAL_LENGTH} characters`, node.start);
    }
    if (node.op !== 'rcall' || node.args[0] !== 'matches' || node.args[2].length !== 1) continue;
    (node.args as unknown as unknown[])[0] = RE2_MATCHES;
    const pattern = node.args[2][0]!;
    if (pattern.op !== 'value' || typeof pattern.args !== 'string') continue;
    try {
      re2(pattern.args);
    } catch (err) {
      if (err instanceof RegexError) throw new CelCompileError(`matches(): ${err.message}`, pattern.start);
      throw err;
    }
  }
}

const rangeStart = (err: unknown) => (err as { range?: { start: number } } | undefined)?.range?.start;

/**
 * The library does not check the field inside `has()`, so `has(incident.prority)` would be quietly false forever.
 * Each such select is checked on its own; a variable bound by a macro (`list.exists(x, has(x.f))`) is unknown
 * there, and left alone.
 */
function checkHasFields(ast: ASTNode, env: CelEnvironment): void {
  for (const node of nodes(ast)) {
    if (node.op !== 'call' || node.args[0] !== 'has') continue;
    const select = node.args[1][0];
    if (select?.op !== '.') continue;
    const text = select.input.slice(select.range.start, select.range.end);
    const checked = env.check(text);
    if (checked.valid || !/^No such key/.test(firstLine(checked.error))) continue;
    const at = rangeStart(checked.error);
    throw new CelCompileError(firstLine(checked.error), select.range.start + (at ?? 0));
  }
}

/**
 * Parses and type-checks once per config version, in the config's environment (factEnvironment). Checking the
 * parsed program itself (not a second parse) stores the checked types on its AST, so evaluations skip the run-time
 * check.
 */
export function compileCel(expression: string, expect?: 'bool', env: CelEnvironment = untyped): CelProgram {
  let program: CelProgram & { check(): { valid: boolean; type?: string; error?: unknown } };
  try {
    program = env.parse(expression) as unknown as typeof program;
  } catch (err) {
    throw new CelCompileError(limitMessage(firstLine(err)), rangeStart(err));
  }
  prepare(program.ast);
  const checked = program.check();
  if (!checked.valid) throw new CelCompileError(firstLine(checked.error), rangeStart(checked.error));
  checkHasFields(program.ast, env);
  if (expect === 'bool' && checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new CelCompileError(`a condition must be true or false, but this is a ${checked.type}`, 0);
  }
  return program;
}

/**
 * Plain JS facts → CEL values: integral numbers become ints (BigInt), undefined fields vanish, dates stay timestamps.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(toCel);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
  return out;
}

/** CEL values → JSON-safe values for explanations and the timeline. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
      return String(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  }
  return value;
}
