import { incidentKey, type IncidentEvent } from '../domain/incident-event.ts';
import { transition, type TriggerType } from '../domain/lifecycle.ts';
import { OPEN_STATES, type MajorIncident } from '../domain/major-incident.ts';
import type { LoadedConfig } from '../config/files/load-config.ts';
import { windowFacts, type WindowEntry } from '../rules/windows.ts';
import { decide, type Decision } from './decide.ts';
import { rulesRuntime } from './rules-adapter.ts';
import type { MergedIncident } from './rules-runtime.ts';
import type { WindowFacts } from '../store/window-store.ts';

export interface BacktestMi {
  readonly id: string;
  readonly serviceId: string;
  state: MajorIncident['state'];
  readonly createdAt: string;
  declaredAt?: string;
  readonly decidedBy: string;
  readonly origin: string;
  children: number;
}

export interface BacktestResult {
  readonly configVersion: string;
  readonly events: number;
  readonly unmapped: number;
  readonly majorIncidents: readonly BacktestMi[];
}

/**
 * Replays recorded events in source-time order through the same pieces the worker uses —
 * snapshots, exact sliding windows, rules, `decide`, the lifecycle — with an in-memory store.
 * Pure: no Redis, no vendor. Answers "which major incidents would this config have declared, and when".
 */
export function backtest(config: LoadedConfig, events: readonly IncidentEvent[]): BacktestResult {
  const rules = rulesRuntime(config);
  const ordered = [...events].sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
  const snapshots = new Map<string, MergedIncident>();
  const windows = new Map<string, WindowEntry[]>();
  const mis: Array<BacktestMi & { full: MajorIncident }> = [];
  const open = new Map<string, number>();
  const last = new Map<string, number>();
  const byRecord = new Map<string, number>();
  let unmapped = 0;

  for (const event of ordered) {
    const key = incidentKey(event);
    const at = new Date(event.updatedAt);
    const prev = snapshots.get(key);
    if (prev && Date.parse(prev.updatedAt) > at.getTime() && !event.comment) continue;
    const incident: MergedIncident = { ...prev, ...event };
    snapshots.set(key, incident);
    const service = rules.resolveService(incident);
    if (!service) {
      unmapped += 1;
      continue;
    }
    const window: Record<string, WindowFacts> = {};
    for (const w of rules.windows) {
      const wk = `${w.id}/${service.id}`;
      const entries = windows.get(wk) ?? [];
      if (w.matches(incident, service, at))
        entries.push({ at: at.getTime(), incidentKey: key, ...(incident.caller ? { caller: incident.caller } : {}) });
      windows.set(wk, entries);
      window[w.id] = windowFacts(entries, at, w.durationMs);
    }
    const evaluation = rules.evaluate({ incident, service, window, now: at });
    const pick = (i: number | undefined) => (i === undefined ? undefined : mis[i]!.full);
    const linkedIndex = byRecord.get(key);
    const decision: Decision = decide({
      event,
      serviceId: service.id,
      verdict: evaluation,
      now: at,
      reopenWithinMinutes: rules.reopenWithinMinutes,
      ...(pick(linkedIndex) ? { linked: pick(linkedIndex)! } : {}),
      ...(pick(open.get(service.id)) ? { open: pick(open.get(service.id))! } : {}),
      ...(pick(last.get(service.id)) ? { last: pick(last.get(service.id))! } : {}),
    });

    const move = (index: number, trigger: TriggerType) => {
      const mi = mis[index]!;
      const result = transition(mi.state, trigger);
      if (!result.ok || !result.changed || result.to === 'none') return;
      mi.state = result.to;
      if (result.to === 'declared' && !mi.declaredAt) mi.declaredAt = at.toISOString();
      if (result.to === 'resolved') mi.full = { ...mi.full, state: result.to, resolvedAt: at.toISOString() };
      else mi.full = { ...mi.full, state: result.to };
      if (OPEN_STATES.includes(result.to)) open.set(mi.serviceId, index);
      else if (open.get(mi.serviceId) === index) open.delete(mi.serviceId);
    };
    const attach = (index: number) => {
      if (byRecord.has(key)) return;
      byRecord.set(key, index);
      mis[index]!.children += 1;
    };

    if (decision.kind === 'create') {
      const result = transition('none', decision.trigger);
      if (!result.ok || result.to === 'none') continue;
      const iso = at.toISOString();
      const full: MajorIncident = {
        id: `MI-BT-${mis.length + 1}`,
        serviceId: service.id,
        state: result.to,
        title: incident.title ?? key,
        origin: { source: event.source, recordId: event.recordId },
        configVersion: config.version,
        roles: {},
        links: {},
        detectedAt: iso,
        createdAt: iso,
        updatedAt: iso,
        ...(decision.relatedTo ? { relatedTo: decision.relatedTo } : {}),
      };
      mis.push({
        id: full.id,
        serviceId: service.id,
        state: result.to,
        createdAt: iso,
        ...(result.to === 'declared' ? { declaredAt: iso } : {}),
        decidedBy: evaluation.decidedBy ?? decision.trigger,
        origin: `${event.source}/${event.number ?? event.recordId}`,
        children: 0,
        full,
      });
      const index = mis.length - 1;
      byRecord.set(key, index);
      open.set(service.id, index);
      last.set(service.id, index);
    } else if (decision.kind === 'attach') {
      const index = mis.findIndex((m) => m.id === decision.miId);
      attach(index);
      if (decision.then) move(index, decision.then);
    } else if (decision.kind === 'transition') {
      const index = mis.findIndex((m) => m.id === decision.miId);
      move(index, decision.trigger);
      if (decision.attach) attach(index);
    }
  }
  return {
    configVersion: config.version,
    events: ordered.length,
    unmapped,
    majorIncidents: mis.map(({ full: _full, ...rest }) => rest),
  };
}

export interface BacktestDiff {
  readonly onlyInA: readonly BacktestMi[];
  readonly onlyInB: readonly BacktestMi[];
  readonly changed: ReadonlyArray<{ readonly a: BacktestMi; readonly b: BacktestMi }>;
}

/** Major incidents are the same across two runs when they start from the same record on the same service. */
export function diffBacktests(a: BacktestResult, b: BacktestResult): BacktestDiff {
  const keyOf = (m: BacktestMi) => `${m.serviceId} ${m.origin}`;
  const inB = new Map(b.majorIncidents.map((m) => [keyOf(m), m]));
  const inA = new Map(a.majorIncidents.map((m) => [keyOf(m), m]));
  return {
    onlyInA: a.majorIncidents.filter((m) => !inB.has(keyOf(m))),
    onlyInB: b.majorIncidents.filter((m) => !inA.has(keyOf(m))),
    changed: a.majorIncidents.flatMap((m) => {
      const other = inB.get(keyOf(m));
      return other && (other.state !== m.state || other.declaredAt !== m.declaredAt || other.children !== m.children)
        ? [{ a: m, b: other }]
        : [];
    }),
  };
}
