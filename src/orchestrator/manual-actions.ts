import { incidentKey, type Source } from '../domain/incident-event.ts';
import { transition, type LifecycleState, type TriggerType } from '../domain/lifecycle.ts';
import {
  OPEN_STATES,
  majorIncidentId,
  movedTo,
  timelineEntry,
  type Actor,
  type MajorIncident,
  type TimelineEntry,
} from '../domain/major-incident.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { RulesRuntime, ServiceRef } from './rules-runtime.ts';

export type ManualErrorCode =
  | 'NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'CONFLICT'
  | 'SERVICE_BUSY'
  | 'RECORD_LINKED'
  | 'UNKNOWN_SERVICE';

/** The source record a person declares from, when there is one (a ServiceNow incident, a Jira issue). */
export interface ManualOrigin {
  readonly source: Source;
  readonly recordId: string;
  readonly number?: string;
}

export interface DeclareRequest {
  readonly serviceId: string;
  readonly title: string;
  readonly person: string;
  readonly reason: string;
  readonly origin?: ManualOrigin;
  /** An exercise (drill): busy only when the service has an open drill; real major incidents go on beside it. */
  readonly exercise?: boolean;
}

export type ManualResult =
  | { readonly ok: true; readonly mi: MajorIncident; readonly before: LifecycleState }
  | {
      readonly ok: false;
      readonly code: ManualErrorCode;
      readonly reason: string;
      readonly openId?: string;
      readonly before?: LifecycleState;
    };

export interface ManualDeps {
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly rules: RulesRuntime;
  readonly services: (id: string) => ServiceRef | undefined;
  readonly now: Date;
}

const entry = (d: ManualDeps, kind: string, actor: Actor, detail: Record<string, unknown>): TimelineEntry =>
  timelineEntry({ at: d.now, kind, actor, detail, configVersion: d.rules.version });

/**
 * A person resolving, cancelling or closing through the admin API: the same lifecycle and store as every other move.
 */
export async function manualMove(
  d: ManualDeps,
  id: string,
  trigger: Extract<TriggerType, `manual.${string}`>,
  person: string,
  reason: string,
): Promise<ManualResult> {
  const mi = await d.store.get(id);
  if (!mi) return { ok: false, code: 'NOT_FOUND', reason: `no major incident ${id}` };
  const actor: Actor = { type: 'person', id: person };
  const result = transition(mi.state, trigger);
  if (!result.ok) {
    await d.store.appendTimeline(id, [
      entry(d, 'transition.refused', actor, { trigger, from: mi.state, reason: result.reason, note: reason }),
    ]);
    return { ok: false, code: 'ILLEGAL_TRANSITION', reason: result.reason, before: mi.state };
  }
  if (!result.changed || result.to === 'none') return { ok: true, mi, before: mi.state };
  const at = d.now.toISOString();
  const next = movedTo(mi, result.to, d.now, actor, d.rules.declaredPriority(mi.serviceId));
  const entries = [
    entry(d, 'state.changed', actor, { from: mi.state, to: next.state, trigger, reason }),
    ...(result.effects.length
      ? [
          entry(
            d,
            'actions.planned',
            { type: 'system', id: 'playbooks' },
            { effects: result.effects, actions: d.rules.planActions(next, result.effects) },
          ),
        ]
      : []),
  ];
  const outbox = result.effects.length ? d.rules.actionJobs(next, result.effects, Date.parse(at)) : [];
  const outcome = await d.store.transition(
    next,
    mi.state,
    OPEN_STATES.includes(next.state) ? 'claim' : 'release',
    entries,
    outbox,
    mi.updatedAt,
  );
  if (outcome === 'conflict')
    return {
      ok: false,
      code: 'CONFLICT',
      reason: 'the major incident changed meanwhile; reload and try again',
      before: mi.state,
    };
  if (outcome === 'held')
    return {
      ok: false,
      code: 'SERVICE_BUSY',
      reason: 'another major incident is open for the service',
      before: mi.state,
    };
  return { ok: true, mi: next, before: mi.state };
}

/**
 * A person declaring a major incident, from a source record or with none behind it (yet). The
 * record must not already belong to an open major incident: it would then have two origins.
 */
export async function manualDeclare(d: ManualDeps, req: DeclareRequest): Promise<ManualResult> {
  const { serviceId, person, reason } = req;
  const service = d.services(serviceId);
  if (!service) return { ok: false, code: 'UNKNOWN_SERVICE', reason: `no service "${serviceId}" in the catalogue` };
  const open = req.exercise ? await d.store.openExerciseFor(serviceId) : await d.store.openFor(serviceId);
  if (open)
    return {
      ok: false,
      code: 'SERVICE_BUSY',
      reason: `${req.exercise ? 'exercise' : 'major incident'} ${open.id} is already open for ${serviceId}`,
      openId: open.id,
    };
  const at = d.now.toISOString();
  const id = majorIncidentId(d.now);
  const origin: ManualOrigin = req.origin ?? { source: 'servicenow', recordId: `manual-${id}` };
  const key = req.origin ? incidentKey(req.origin) : `manual/${id}`;
  if (req.origin) {
    const linked = await d.store.findByRecord(key);
    // A drill's own record stays the drill's, open or not: it is no real outage to declare from.
    if (linked && (OPEN_STATES.includes(linked.state) || linked.exercise))
      return {
        ok: false,
        code: 'RECORD_LINKED',
        reason: `${key} already belongs to ${linked.exercise ? 'exercise' : 'major incident'} ${linked.id}`,
        openId: linked.id,
      };
  }
  const actor: Actor = { type: 'person', id: person };
  const mi: MajorIncident = {
    id,
    serviceId,
    state: 'declared',
    title: req.title,
    // The source record's own priority is not known here: the accept write sets the record's.
    priority: d.rules.declaredPriority(serviceId),
    origin,
    configVersion: d.rules.version,
    roles: service.roles,
    links: {},
    ...(req.exercise ? { exercise: true } : {}),
    declaredBy: actor,
    detectedAt: at,
    createdAt: at,
    declaredAt: at,
    updatedAt: at,
  };
  const effects = ['declare'] as const;
  const entries = [
    entry(d, 'state.changed', actor, {
      from: 'none',
      to: 'declared',
      trigger: 'manual.declare',
      reason,
      ...(req.exercise ? { exercise: true } : {}),
      ...(req.origin ? { origin } : {}),
    }),
    entry(d, 'roles.assigned', { type: 'system', id: 'catalogue' }, { roles: mi.roles }),
    entry(
      d,
      'actions.planned',
      { type: 'system', id: 'playbooks' },
      { effects, actions: d.rules.planActions(mi, effects) },
    ),
  ];
  const link = { incidentKey: key, ...origin, attachedAt: at, role: 'origin' };
  const openId = await d.store.createIfNoneOpen(mi, link, entries, d.rules.actionJobs(mi, effects, Date.parse(at)));
  if (openId !== id)
    return {
      ok: false,
      code: 'SERVICE_BUSY',
      reason: `${req.exercise ? 'exercise' : 'major incident'} ${openId} is already open for ${serviceId}`,
      openId,
    };
  return { ok: true, mi, before: 'none' };
}
