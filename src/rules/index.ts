/** The rules engine's public surface: pure, no I/O. */
export {
  compileRules,
  type CompiledRule,
  type CompiledRules,
  type CompiledWindow,
  type CompileProblem,
} from './compile-rules.ts';
export {
  evaluate,
  explainRule,
  celContext,
  type Evaluation,
  type ExplainMode,
  type RuleFacts,
  type RuleResult,
  type WindowCounts,
} from './evaluate.ts';
export type { LeafValue } from './explain.ts';
export { redactEventText, runErrors, type RuleRunError } from './run-errors.ts';
export { buildFacts, type IncidentFacts } from './facts.ts';
export { planActions, PLAYBOOK_OF, type PlannedAction } from './plan-actions.ts';
export { indexServices, resolveService, type ServiceIndex, type ServiceLookupFacts } from './resolve-service.ts';
export { windowDefinitions, windowFacts, type WindowDefinition, type WindowEntry } from './windows.ts';
