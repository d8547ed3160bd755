import { toCel, type CelContext } from './cel.ts';
import type { CompiledRule, CompiledRules } from './compile-rules.ts';
import { explainLeaves, type LeafValue } from './explain.ts';

export interface RuleFacts {
  readonly incident: Readonly<Record<string, unknown>>;
  readonly service: Readonly<Record<string, unknown>> | null;
  readonly window: Readonly<Record<string, { count: number; distinctCallers: number }>>;
  readonly vips: readonly string[];
  readonly now: Date;
}

export interface RuleResult {
  readonly ruleId: string;
  readonly then: 'propose' | 'declare';
  readonly matched: boolean;
  readonly error?: string;
  /** The value of every part of the condition (see explain.ts). */
  readonly explanation?: readonly LeafValue[];
}

export interface RulesEvaluation {
  readonly decision: 'declare' | 'propose' | 'none';
  readonly decidedBy?: string;
  /** The incident's service is not in the catalogue: never declared automatically. */
  readonly unmapped: boolean;
  readonly results: readonly RuleResult[];
}

export type ExplainMode = 'none' | 'matched' | 'all';

const STRENGTH = { none: 0, propose: 1, declare: 2 } as const;

/** Services are config: converted once per config version, not once per event. */
const serviceCel = new WeakMap<object, unknown>();
function celService(service: RuleFacts['service']): unknown {
  if (!service) return null;
  let converted = serviceCel.get(service);
  if (converted === undefined) serviceCel.set(service, (converted = toCel(service)));
  return converted;
}

export function celContext(facts: RuleFacts): CelContext {
  return {
    incident: toCel(facts.incident),
    service: celService(facts.service),
    window: toCel(facts.window),
    vips: [...facts.vips],
    now: BigInt(facts.now.getTime()),
  };
}

function run(rule: CompiledRule, ctx: CelContext): { matched: boolean; error?: string } {
  try {
    return { matched: rule.program(ctx) === true };
  } catch (err) {
    // A field this event lacks, a type mismatch: the rule does not match, and says why.
    return { matched: false, error: (err as Error).message.split('\n')[0] ?? 'evaluation error' };
  }
}

/**
 * Pure evaluation of the rules against one incident's facts. `first-match` takes the first rule
 * in file order that matches; `strongest` takes `declare` over `propose` across all matches (the
 * first such rule in file order names the decision).
 */
export function evaluateRules(compiled: CompiledRules, facts: RuleFacts, explain: ExplainMode = 'matched'): RulesEvaluation {
  const ctx = celContext(facts);
  const results: RuleResult[] = [];
  let decision: RulesEvaluation['decision'] = 'none';
  let decidedBy: string | undefined;
  for (const rule of compiled.rules) {
    const outcome = run(rule, ctx);
    const withWhy = explain === 'all' || (explain === 'matched' && (outcome.matched || outcome.error));
    results.push({ ruleId: rule.id, then: rule.then, ...outcome, ...(withWhy ? { explanation: explainLeaves(rule.leaves, ctx) } : {}) });
    if (outcome.matched && STRENGTH[rule.then] > STRENGTH[decision]) {
      decision = rule.then;
      decidedBy = rule.id;
      if (compiled.evaluation === 'first-match') break;
    }
  }
  const unmapped = facts.service === null;
  if (unmapped) return { decision: 'none', unmapped, results };
  return { decision, unmapped, results, ...(decidedBy ? { decidedBy } : {}) };
}
