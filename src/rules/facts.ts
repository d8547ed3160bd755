import type { IncidentEvent } from '../domain/incident-event.ts';
import type { CompiledRules } from './compile-rules.ts';
import type { RuleFacts, WindowCounts } from './evaluate.ts';
import { resolveService, type ServiceIndex, type ServiceMatch } from './resolve-service.ts';

/** The incident as rules see it: the merged snapshot of the record plus this event's own fields. */
export type IncidentFacts = Partial<IncidentEvent> & Pick<IncidentEvent, 'source' | 'recordId'>;

/**
 * Facts for one evaluation: the incident, its catalogue service (or null), window counts and the
 * time. Pure; the caller brings the counts (Redis window store, or windowFacts() in a replay).
 */
export function buildFacts<S extends ServiceMatch & Readonly<Record<string, unknown>>>(
  config: { readonly serviceIndex: ServiceIndex<S>; readonly compiled: Pick<CompiledRules, 'vips'> },
  incident: IncidentFacts,
  opts: { readonly window?: Readonly<Record<string, WindowCounts>>; readonly now?: Date } = {},
): RuleFacts & { readonly service: S | null } {
  return {
    incident,
    service: resolveService(config, incident),
    window: opts.window ?? {},
    vips: config.compiled.vips,
    now: opts.now ?? new Date(incident.updatedAt ?? Date.now()),
  };
}
