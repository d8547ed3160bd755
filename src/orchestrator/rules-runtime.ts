import type { MappingsFile } from '../config/files/schema-mappings.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident, Roles } from '../domain/major-incident.ts';
import type { LifecycleEffect } from '../domain/lifecycle.ts';
import type { WindowFacts } from '../store/window-store.ts';
import type { TierTimers } from '../process/timers-plan.ts';
import type { ActionJob } from '../domain/action.ts';
import type { Evaluation } from '../rules/evaluate.ts';
import type { PlannedAction } from '../rules/plan-actions.ts';

/** What the orchestrator needs of the active config: a narrow port, so the config module can evolve behind it. */
export interface ServiceRef {
  readonly id: string;
  readonly name: string;
  readonly tier: number;
  readonly roles: Roles;
}

/**
 * The incident as the orchestrator holds it: the merged snapshot plus this delivery's own parts (the rules' own view is
 * IncidentFacts, rules/facts.ts).
 */
export type MergedIncident = Partial<IncidentEvent> & Pick<IncidentEvent, 'source' | 'recordId' | 'updatedAt'>;

export interface RulesRuntime {
  readonly version: string;
  readonly reopenWithinMinutes: number;
  /** mappings.yaml: field ownership and value tables for field sync. */
  readonly mappings: MappingsFile;
  resolveService(incident: MergedIncident): ServiceRef | null;
  readonly windows: ReadonlyArray<{
    readonly id: string;
    readonly durationMs: number;
    matches(incident: MergedIncident, service: ServiceRef, now: Date): boolean;
  }>;
  evaluate(facts: {
    incident: MergedIncident;
    service: ServiceRef | null;
    window: Record<string, WindowFacts>;
    now: Date;
  }): Evaluation;
  planActions(mi: MajorIncident, effects: readonly LifecycleEffect[]): PlannedAction[];
  /** The tier's timer settings (rules.yaml tiers.<n>), durations in milliseconds. */
  tierTimers(tier: number): TierTimers;
  /** The priority a declared major incident of this service gets at least (rules.yaml tiers.<n>.priority). */
  declaredPriority(serviceId: string): number;
  /**
   * The windows a rule's condition reads (`window.<id>`), so a storm's incidents can join the major incident it
   * declares.
   */
  windowsOf(ruleId: string): string[];
  /** The update playbook as queue jobs for cadence round `n` (autoPost). */
  updateJobs(mi: MajorIncident, n: number, effect?: string): ActionJob[];
  /** The planned actions as queue jobs, one per target and channel (see fan-out.ts). */
  actionJobs(mi: MajorIncident, effects: readonly LifecycleEffect[], round: number): ActionJob[];
}
