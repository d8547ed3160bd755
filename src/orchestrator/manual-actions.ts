import { transition, type TriggerType } from '../domain/lifecycle.ts';
import { OPEN_STATES, majorIncidentId, type Actor, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import type { MiStore } from './mi-store.ts';
import type { RulesRuntime, ServiceRef } from './rules-runtime.ts';

export type ManualResult =
  | { readonly ok: true; readonly mi: MajorIncident }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'ILLEGAL_TRANSITION' | 'CONFLICT' | 'SERVICE_BUSY' | 'UNKNOWN_SERVICE'; readonly reason: string; readonly openId?: string };

export interface ManualDeps {
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly rules: RulesRuntime;
  readonly services: (id: string) => ServiceRef | undefined;
  readonly now: Date;
}

const entry = (d: ManualDeps, kind: string, actor: Actor, detail: Record<string, unknown>): TimelineEntry =>
  ({ at: d.now.toISOString(), kind, actor, detail, configVersion: d.rules.version });

/** A person resolving, cancelling or closing through the admin API: the same lifecycle and store as every other move. */
export async function manualMove(d: ManualDeps, id: string, trigger: Extract<TriggerType, `manual.${string}`>, person: string, reason: string): Promise<ManualResult> {
  const mi = await d.store.get(id);
  if (!mi) return { ok: false, code: 'NOT_FOUND', reason: `no major incident ${id}` };
  const actor: Actor = { type: 'person', id: person };
  const result = transition(mi.state, trigger);
  if (!result.ok) {
    await d.store.appendTimeline(id, [entry(d, 'transition.refused', actor, { trigger, from: mi.state, reason: result.reason, note: reason })]);
    return { ok: false, code: 'ILLEGAL_TRANSITION', reason: result.reason };
  }
  if (!result.changed || result.to === 'none') return { ok: true, mi };
  const at = d.now.toISOString();
  const next: MajorIncident = {
    ...mi, state: result.to, updatedAt: at,
    ...(result.to === 'declared' ? { declaredAt: mi.declaredAt ?? at, declaredBy: mi.declaredBy ?? actor } : {}),
    ...(result.to === 'resolved' || result.to === 'closed' ? { resolvedAt: mi.resolvedAt ?? at } : {}),
    ...(result.to === 'closed' ? { closedAt: at } : {}),
  };
  const entries = [
    entry(d, 'state.changed', actor, { from: mi.state, to: next.state, trigger, reason }),
    ...(result.effects.length ? [entry(d, 'actions.planned', { type: 'system', id: 'playbooks' }, { effects: result.effects, actions: d.rules.planActions(next, result.effects) })] : []),
  ];
  const outbox = result.effects.length ? d.rules.actionJobs(next, result.effects, Date.parse(at)) : [];
  const outcome = await d.store.transition(next, mi.state, OPEN_STATES.includes(next.state) ? 'claim' : 'release', entries, outbox);
  if (outcome === 'conflict') return { ok: false, code: 'CONFLICT', reason: 'the major incident changed meanwhile; reload and try again' };
  if (outcome === 'held') return { ok: false, code: 'SERVICE_BUSY', reason: 'another major incident is open for the service' };
  return { ok: true, mi: next };
}

/** A person declaring a major incident with no source record behind it (yet). */
export async function manualDeclare(d: ManualDeps, serviceId: string, title: string, person: string, reason: string): Promise<ManualResult> {
  const service = d.services(serviceId);
  if (!service) return { ok: false, code: 'UNKNOWN_SERVICE', reason: `no service "${serviceId}" in the catalogue` };
  const open = await d.store.openFor(serviceId);
  if (open) return { ok: false, code: 'SERVICE_BUSY', reason: `major incident ${open.id} is already open for ${serviceId}`, openId: open.id };
  const at = d.now.toISOString();
  const actor: Actor = { type: 'person', id: person };
  const id = majorIncidentId(d.now);
  const mi: MajorIncident = {
    id, serviceId, state: 'declared', title, origin: { source: 'servicenow', recordId: `manual-${id}` }, configVersion: d.rules.version,
    roles: service.roles, links: {}, declaredBy: actor, detectedAt: at, createdAt: at, declaredAt: at, updatedAt: at,
  };
  const effects = ['declare'] as const;
  const entries = [
    entry(d, 'state.changed', actor, { from: 'none', to: 'declared', trigger: 'manual.declare', reason }),
    entry(d, 'roles.assigned', { type: 'system', id: 'catalogue' }, { roles: mi.roles }),
    entry(d, 'actions.planned', { type: 'system', id: 'playbooks' }, { effects, actions: d.rules.planActions(mi, effects) }),
  ];
  const openId = await d.store.createIfNoneOpen(mi, { incidentKey: `manual/${id}`, role: 'origin' }, entries, d.rules.actionJobs(mi, effects, Date.parse(at)));
  if (openId !== id) return { ok: false, code: 'SERVICE_BUSY', reason: `major incident ${openId} is already open for ${serviceId}`, openId };
  return { ok: true, mi };
}
