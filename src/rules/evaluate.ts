import { firstLine, toCel, type CelContext } from './cel.ts';
import type { CompiledRule, CompiledRules } from './compile-rules.ts';
import { explainLeaves, type LeafValue } from './explain.ts';

export interface WindowCounts {
  readonly count: number;
  readonly distinctCallers: number;
}

/** What a condition sees. Plain JS values: numbers become CEL ints here (see cel.ts). */
export interface RuleFacts {
  readonly incident: Readonly<Record<string, unknown>>;
  /** The catalogue entry; null when the incident's service is not in the catalogue. */
  readonly service: Readonly<Record<string, unknown>> | null;
  /** Window id → counts; a window the caller did not count reads as zero. */
  readonly window: Readonly<Record<string, WindowCounts>>;
  readonly now: Date;
  /** Defaults to the config's `vips`. */
  readonly vips?: readonly string[];
}

export interface RuleResult {
  readonly ruleId: string;
  readonly then: 'propose' | 'declare';
  readonly matched: boolean;
  /** Why the condition could not be evaluated; the rule then does not match. */
  readonly error?: string;
  /** The value of every part of the condition (explain.ts), when asked for. */
  readonly explanation?: readonly LeafValue[];
}

/** What the rules say about one event; what the orchestrator then does is its `Decision` (orchestrator/decide.ts). */
export type RuleDecision = 'declare' | 'propose' | 'none';

export interface Evaluation {
  readonly decision: RuleDecision;
  readonly decidedBy?: string;
  /** The incident's service is not in the catalogue: never declared automatically. */
  readonly unmapped: boolean;
  readonly configVersion: string;
  readonly evaluation: CompiledRules['evaluation'];
  /** The rules evaluated, in file order; first-match stops at the deciding rule. */
  readonly results: readonly RuleResult[];
}
export type RulesEvaluation = Evaluation;

/**
 * `matched` (the default) explains only rules that matched or failed: explanations evaluate every
 * part of a condition again, so computing them for every non-matching rule would multiply the
 * cost per event. `all` is for the simulator; `none` for back-tests over many events.
 */
export type ExplainMode = 'none' | 'matched' | 'all';

const STRENGTH = { none: 0, propose: 1, declare: 2 } as const satisfies Record<RuleDecision, number>;
const NO_COUNTS: WindowCounts = { count: 0, distinctCallers: 0 };

// Services are config: converted to CEL values once per config version, not once per event.
const serviceCel = new WeakMap<object, unknown>();
/**
 * An unmapped incident's `service`: a catalogue entry with no fields, since a typed variable cannot be null.
 * `has(service.id)` is false, and reading a field of it is an error like any missing field.
 */
const NO_SERVICE = Object.freeze({});
function celService(service: RuleFacts['service']): unknown {
  if (!service) return NO_SERVICE;
  let converted = serviceCel.get(service);
  if (converted === undefined) {
    converted = toCel(service);
    serviceCel.set(service, converted);
  }
  return converted;
}

/** The CEL variables for one evaluation; windows the config declares but the facts lack count zero. */
export function celContext(facts: RuleFacts, compiled?: Pick<CompiledRules, 'windows' | 'vips'>): CelContext {
  const window: Record<string, WindowCounts> = { ...facts.window };
  if (compiled) for (const w of compiled.windows) window[w.id] ??= NO_COUNTS;
  return {
    incident: toCel(facts.incident),
    service: celService(facts.service),
    window: toCel(window),
    vips: [...(facts.vips ?? compiled?.vips ?? [])],
    now: facts.now,
  };
}

/** The library's answer, on the facts converted to their declared types (cel.ts typedContext). */
function run(rule: CompiledRule, typed: CelContext): { matched: boolean; error?: string } {
  try {
    const value = rule.program(typed);
    if (typeof value === 'boolean') return { matched: value };
    return { matched: false, error: `the condition gave ${value === null ? 'null' : typeof value}, not true or false` };
  } catch (err) {
    // A field this event lacks, a type mismatch: the rule does not match, and says why. Never a throw.
    return { matched: false, error: firstLine(err) || 'evaluation error' };
  }
}

/**
 * Pure evaluation of the rules against one incident's facts.
 * - `first-match`: rules run in file order; the first that matches decides, the rest are not run.
 * - `strongest`: `declare` beats `propose`; the first matching declare rule in file order decides
 *   (nothing is stronger, so evaluation stops there), else the first matching propose rule.
 * An unmapped incident (no catalogue service) is evaluated for the record but never decided.
 */
export function evaluate(compiled: CompiledRules, facts: RuleFacts, opts: { explain?: ExplainMode } = {}): Evaluation {
  const explain = opts.explain ?? 'matched';
  const ctx = celContext(facts, compiled);
  let converted: CelContext | undefined;
  // Converted on first use: a config whose rules the fast path decides never pays for it.
  const typed = () => (converted ??= compiled.typed ? compiled.typed(ctx) : ctx);
  const results: RuleResult[] = [];
  let decision: RuleDecision = 'none';
  let decidedBy: string | undefined;
  for (const rule of compiled.rules) {
    // The fast path reads the plain facts; the library the typed ones.
    const quick = rule.fastPath?.(ctx);
    const outcome = quick === undefined ? run(rule, typed()) : { matched: quick };
    const withWhy = explain === 'all' || (explain === 'matched' && (outcome.matched || outcome.error !== undefined));
    const result: { -readonly [K in keyof RuleResult]: RuleResult[K] } = {
      ruleId: rule.id,
      then: rule.then,
      matched: outcome.matched,
    };
    if (outcome.error !== undefined) result.error = outcome.error;
    if (withWhy) result.explanation = explainLeaves(rule.explain, typed());
    results.push(result);
    if (outcome.matched && STRENGTH[rule.then] > STRENGTH[decision]) {
      decision = rule.then;
      decidedBy = rule.id;
    }
    if (decision !== 'none' && (compiled.evaluation === 'first-match' || decision === 'declare')) break;
  }
  const unmapped = facts.service === null;
  const base = { unmapped, configVersion: compiled.version, evaluation: compiled.evaluation, results };
  if (unmapped || !decidedBy) return { decision: 'none', ...base };
  return { decision, decidedBy, ...base };
}

/** The explanation of one rule on demand (for a rule the evaluation did not explain). */
export function explainRule(
  compiled: CompiledRules,
  ruleId: string,
  facts: RuleFacts,
): readonly LeafValue[] | undefined {
  const rule = compiled.rules.find((r) => r.id === ruleId);
  if (!rule) return undefined;
  const ctx = celContext(facts, compiled);
  return explainLeaves(rule.explain, compiled.typed ? compiled.typed(ctx) : ctx);
}
