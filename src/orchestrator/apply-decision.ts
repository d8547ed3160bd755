import { incidentKey, type IncidentEvent } from '../domain/incident-event.ts';
import { transition, type LifecycleEffect, type TriggerType } from '../domain/lifecycle.ts';
import {
  OPEN_STATES,
  majorIncidentId,
  movedTo,
  timelineEntry,
  type Actor,
  type MajorIncident,
  type MiState,
  type TimelineEntry,
} from '../domain/major-incident.ts';
import { childLinkJobs } from './child-links.ts';
import { keepSyncedPriority, raiseForChild } from './raise-priority.ts';
import type { Decision } from './decide.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { Evaluation } from '../rules/evaluate.ts';
import type { MergedIncident, RulesRuntime, ServiceRef } from './rules-runtime.ts';

/** The state moved under us (another worker); BullMQ retries the event, which then decides afresh. */
export class ConcurrentUpdateError extends Error {
  readonly code = 'CONCURRENT_UPDATE';
  constructor(miId: string) {
    super(`major incident ${miId} changed while this event was being handled`);
    this.name = 'ConcurrentUpdateError';
  }
}

/** What applying a decision did. `created` carries the record it stored, so nobody reads it back. */
export type Applied =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'created'; readonly mi: MajorIncident }
  /** `added` is false when the incident was a child already (a retried event). */
  | { readonly kind: 'attached'; readonly miId: string; readonly added: boolean }
  | { readonly kind: 'refused'; readonly miId: string }
  | { readonly kind: 'unchanged'; readonly miId: string }
  | { readonly kind: 'moved'; readonly miId: string; readonly from: MiState; readonly to: MiState };

/**
 * The outcome as logs and the `result` label of mim_events_processed_total spell it. These
 * strings are on dashboards: change none of them.
 */
export function appliedLabel(a: Applied): string {
  switch (a.kind) {
    case 'nothing':
    case 'refused':
    case 'unchanged':
      return a.kind;
    case 'created':
      return `created:${a.mi.state}`;
    case 'attached':
      return a.added ? 'attached' : 'already-attached';
    case 'moved':
      return `${a.from}->${a.to}`;
  }
}

export interface ApplyContext {
  readonly event: IncidentEvent;
  readonly incident: MergedIncident;
  readonly service: ServiceRef | null;
  readonly evaluation: Evaluation;
  readonly rules: RulesRuntime;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly now: Date;
}

function actorFor(trigger: TriggerType, ctx: ApplyContext): Actor {
  if (trigger.startsWith('rule.')) return { type: 'rule', id: ctx.evaluation.decidedBy ?? 'rules' };
  return { type: 'source', id: `${ctx.event.source}:${ctx.event.updatedBy ?? 'unknown'}` };
}

const entry = (ctx: ApplyContext, kind: string, actor: Actor, detail: Record<string, unknown>): TimelineEntry =>
  timelineEntry({ at: ctx.now, kind, actor, detail, configVersion: ctx.rules.version });

const record = (e: IncidentEvent) => ({
  source: e.source,
  recordId: e.recordId,
  ...(e.number ? { number: e.number } : {}),
});

/** Why the rules decided, as the admin reads it on the timeline. */
function ruleEntry(ctx: ApplyContext): TimelineEntry {
  return entry(
    ctx,
    'rules.evaluated',
    { type: 'rule', id: ctx.evaluation.decidedBy ?? 'none' },
    {
      decision: ctx.evaluation.decision,
      record: record(ctx.event),
      results: ctx.evaluation.results,
    },
  );
}

function planned(ctx: ApplyContext, mi: MajorIncident, effects: readonly LifecycleEffect[]): TimelineEntry[] {
  if (!effects.length) return [];
  return [
    entry(
      ctx,
      'actions.planned',
      { type: 'system', id: 'playbooks' },
      { effects, actions: ctx.rules.planActions(mi, effects) },
    ),
  ];
}

/**
 * The jobs a move causes, for the outbox. `round` tells repeated effects apart (a second
 * re-open plays the update playbook again) while keeping ids deterministic for one move.
 */
const outboxFor = (ctx: ApplyContext, mi: MajorIncident, effects: readonly LifecycleEffect[]) =>
  effects.length ? ctx.rules.actionJobs(mi, effects, Date.parse(mi.updatedAt)) : [];

async function create(
  ctx: ApplyContext,
  trigger: Extract<Decision, { kind: 'create' }>['trigger'],
  relatedTo?: string,
): Promise<Applied> {
  const result = transition('none', trigger);
  if (!result.ok || result.to === 'none' || !ctx.service) return { kind: 'nothing' };
  const actor = actorFor(trigger, ctx);
  const at = ctx.now.toISOString();
  const base: MajorIncident = {
    id: majorIncidentId(ctx.now),
    serviceId: ctx.service.id,
    state: 'candidate',
    title: ctx.incident.title ?? ctx.incident.number ?? ctx.event.recordId,
    ...(ctx.incident.priority ? { priority: ctx.incident.priority, originPriority: ctx.incident.priority } : {}),
    origin: record(ctx.event),
    configVersion: ctx.rules.version,
    roles: ctx.service.roles,
    links: {},
    ...(relatedTo ? { relatedTo } : {}),
    detectedAt: ctx.event.updatedAt,
    createdAt: at,
    updatedAt: at,
  };
  const mi = movedTo(base, result.to, ctx.now, actor, ctx.rules.declaredPriority(base.serviceId));
  const entries = [
    ruleEntry(ctx),
    entry(ctx, 'state.changed', actor, { from: 'none', to: mi.state, trigger, ...(relatedTo ? { relatedTo } : {}) }),
    entry(ctx, 'roles.assigned', { type: 'system', id: 'catalogue' }, { roles: mi.roles }),
    ...planned(ctx, mi, result.effects),
  ];
  const openId = await ctx.store.createIfNoneOpen(
    mi,
    { incidentKey: incidentKey(ctx.event), ...record(ctx.event), attachedAt: at, role: 'origin' },
    entries,
    outboxFor(ctx, mi, result.effects),
  );
  if (openId === mi.id) return { kind: 'created', mi };
  // Another worker opened one for this service a moment earlier: this incident belongs to it.
  return attach(ctx, openId);
}

async function attach(ctx: ApplyContext, miId: string, then?: TriggerType): Promise<Applied> {
  const child = {
    incidentKey: incidentKey(ctx.event),
    ...record(ctx.event),
    attachedAt: ctx.now.toISOString(),
    role: 'child',
  };
  // A plain attach names the rule that matched, without every condition's values: a storm attaches
  // thousands, and the full explanation of each would swell the timeline (the simulator replays any of them).
  const why = then
    ? ruleEntry(ctx)
    : entry(ctx, 'child.attached', actorFor('rule.declare', ctx), {
        child: record(ctx.event),
        decision: ctx.evaluation.decision,
        decidedBy: ctx.evaluation.decidedBy ?? null,
      });
  const entries = then
    ? [why, entry(ctx, 'child.attached', actorFor('rule.declare', ctx), { child: record(ctx.event) })]
    : [why];
  const added = await ctx.store.attachChild(miId, child, entries, childLinkJobs(miId, record(ctx.event)));
  const moved = then ? await move(ctx, miId, then) : undefined;
  // After the move, so a child that declares its candidate raises the declared priority; a retried event raises
  // nothing twice (the priority is already as high).
  await raiseForChild(ctx, miId, { child: record(ctx.event), priority: ctx.incident.priority });
  return moved ?? { kind: 'attached', miId, added };
}

async function move(ctx: ApplyContext, miId: string, trigger: TriggerType, alsoAttach = false): Promise<Applied> {
  const mi = await ctx.store.get(miId);
  if (!mi) return { kind: 'nothing' };
  const actor = actorFor(trigger, ctx);
  const result = transition(mi.state, trigger);
  if (!result.ok) {
    await ctx.store.appendTimeline(miId, [
      entry(ctx, 'transition.refused', actor, {
        trigger,
        from: mi.state,
        reason: result.reason,
        record: record(ctx.event),
      }),
    ]);
    return { kind: 'refused', miId };
  }
  if (!result.changed || result.to === 'none') return { kind: 'unchanged', miId };
  const next = movedTo(mi, result.to, ctx.now, actor, ctx.rules.declaredPriority(mi.serviceId));
  const open = OPEN_STATES.includes(next.state) ? 'claim' : 'release';
  const entries = [
    entry(ctx, 'state.changed', actor, { from: mi.state, to: next.state, trigger, record: record(ctx.event) }),
    ...planned(ctx, next, result.effects),
  ];
  const outcome = await ctx.store.transition(
    next,
    mi.state,
    open,
    entries,
    outboxFor(ctx, next, result.effects),
    mi.updatedAt,
  );
  if (outcome === 'conflict') throw new ConcurrentUpdateError(miId);
  if (outcome === 'held') {
    await ctx.store.appendTimeline(miId, [
      entry(ctx, 'transition.refused', actor, { trigger, reason: 'another major incident is open for the service' }),
    ]);
    return { kind: 'refused', miId };
  }
  if (next.priority !== undefined && next.priority !== mi.priority)
    await keepSyncedPriority(ctx.store, mi, next.priority, ctx.now);
  if (alsoAttach) await attach(ctx, miId);
  return { kind: 'moved', miId, from: mi.state, to: next.state };
}

/** Applies one decision to the store; `appliedLabel` spells the outcome for logs and metrics. */
export async function applyDecision(ctx: ApplyContext, decision: Decision): Promise<Applied> {
  switch (decision.kind) {
    case 'nothing':
      return { kind: 'nothing' };
    case 'create':
      return create(ctx, decision.trigger, decision.relatedTo);
    case 'attach':
      return attach(ctx, decision.miId, decision.then);
    case 'transition':
      return move(ctx, decision.miId, decision.trigger, decision.attach);
  }
}
