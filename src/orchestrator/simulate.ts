import type { LoadedConfig } from '../config/files/load-config.ts';
import type { IncidentEvent, Source } from '../domain/incident-event.ts';
import { evaluate, type Evaluation, type WindowCounts } from '../rules/evaluate.ts';
import { buildFacts, type IncidentFacts } from '../rules/facts.ts';
import { planActions, type PlannedAction } from '../rules/plan-actions.ts';
import { windowDefinitions } from '../rules/windows.ts';

export interface Simulation {
  readonly configVersion: string;
  readonly incident: IncidentFacts;
  readonly normalizedFrom?: Source;
  readonly service: { readonly id: string; readonly name: string; readonly tier: number } | null;
  readonly windows: ReadonlyArray<WindowCounts & { readonly id: string; readonly thisEventCounts: boolean }>;
  readonly evaluation: Evaluation;
  /** Rules after the deciding one, which first-match does not run. */
  readonly notEvaluated: readonly string[];
  readonly disabled: readonly string[];
  /** What the playbook would do now (declare), or once the candidate is accepted (propose). */
  readonly actions: readonly PlannedAction[];
  readonly actionsWhen: 'now' | 'on-acceptance' | 'never';
}

const SIMULATED_MI = 'MI-SIMULATED';

/** A dry run of one event against a config: pure, no Redis, no vendor calls. */
export function simulate(
  config: LoadedConfig,
  input: { event: IncidentEvent; normalizedFrom?: Source },
  opts: { window?: Record<string, WindowCounts>; now?: Date } = {},
): Simulation {
  const incident: IncidentFacts = input.event;
  const facts = buildFacts(config, incident, { window: opts.window ?? {}, ...(opts.now ? { now: opts.now } : {}) });
  const evaluation = evaluate(config.compiled, facts, { explain: 'all' });
  const evaluated = new Set(evaluation.results.map((r) => r.ruleId));
  const windows = windowDefinitions(config).map((w) => ({
    id: w.id,
    ...(facts.window[w.id] ?? { count: 0, distinctCallers: 0 }),
    thisEventCounts: facts.service !== null && w.matches(facts),
  }));
  const service = facts.service;
  const actionsWhen =
    evaluation.decision === 'declare' ? 'now' : evaluation.decision === 'propose' ? 'on-acceptance' : 'never';
  const actions =
    service && actionsWhen !== 'never'
      ? planActions({ id: SIMULATED_MI, serviceId: service.id }, ['declare'], config.rules.playbooks, service)
      : [];
  return {
    configVersion: config.version,
    incident,
    ...(input.normalizedFrom ? { normalizedFrom: input.normalizedFrom } : {}),
    service: service && { id: service.id, name: service.name, tier: service.tier },
    windows,
    evaluation,
    notEvaluated: config.compiled.rules.map((r) => r.id).filter((id) => !evaluated.has(id)),
    disabled: config.compiled.disabled,
    actions,
    actionsWhen,
  };
}
