import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import { escalationsTotal, timersFired, updatesOverdue } from '../observability/metrics.ts';
import type { MiStore } from '../store/mi-store.ts';
import { fireTimer } from './timer-fire.ts';
import type { TimerHandled, TimerJob, TimerRules, TimerSchedule } from './timer-schedule.ts';
import { pirDueAt, plannedTimers, type TierTimers } from './timers-plan.ts';

export interface TimersDeps {
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly rules: () => TimerRules;
  /** The catalogue tier of a service (timer settings are per tier). */
  readonly tierOf: (serviceId: string) => number | undefined;
  readonly schedule: TimerSchedule;
  readonly logger: Logger;
  /** Moves the actions a timer wrote to the outbox on to their queues now. */
  readonly kick: () => void;
  readonly now?: () => Date;
  /** Measures newly available for the major incident, as timeline entries to append (record-measures.ts). */
  readonly recordMeasures?: (
    mi: MajorIncident,
    timeline: readonly TimelineEntry[],
    tier: number | undefined,
  ) => Promise<TimelineEntry[]>;
  /** A closed drill's scorecard, once, as timeline entries to append (drill-store.ts `recordScorecard`). */
  readonly scoreDrill?: (mi: MajorIncident, timeline: readonly TimelineEntry[]) => Promise<TimelineEntry[]>;
}

/**
 * How far back start-up and the sweep look for major incidents that may still have timers (PIRs fall due weeks later).
 */
export const TIMERS_LOOKBACK_MS = 120 * 24 * 3600_000;

const tierFor = (deps: TimersDeps, mi: MajorIncident): TierTimers =>
  deps.rules().tierTimers(deps.tierOf(mi.serviceId) ?? 3);

/**
 * Brings one major incident's scheduled timers in line with its plan: adds the planned ones
 * (an id already scheduled is left alone), cancels waiting ones no longer planned (the page
 * was acknowledged, the incident resolved). Safe to call any number of times from any process.
 */
export async function syncTimers(deps: TimersDeps, miId: string): Promise<{ scheduled: number; removed: number }> {
  const mi = await deps.store.get(miId);
  if (!mi) return { scheduled: 0, removed: 0 };
  const timeline = await deps.store.timeline(miId);
  // Every change passes here (and the minute sweep): the moment a milestone shows, its measure is recorded once.
  const measured = deps.recordMeasures ? await deps.recordMeasures(mi, timeline, deps.tierOf(mi.serviceId)) : [];
  const { version } = deps.rules();
  if (measured.length)
    await deps.store.appendTimeline(
      mi.id,
      measured.map((e) => timelineEntry({ ...e, configVersion: version })),
    );
  const tier = tierFor(deps, mi);
  // A drill closing passes here too: its scorecard is written the moment it is closed (or by the sweep).
  const scored = mi.exercise && mi.state === 'closed' && deps.scoreDrill ? await deps.scoreDrill(mi, timeline) : [];
  if (scored.length)
    await deps.store.appendTimeline(
      mi.id,
      scored.map((e) => timelineEntry({ ...e, configVersion: version })),
    );
  // On resolution the PIR gets its due date (tiers.<n>.pirDue), on the timeline once.
  const due =
    (mi.state === 'resolved' || mi.state === 'closed') && !timeline.some((e) => e.kind === 'pir.scheduled')
      ? pirDueAt(mi, tier)
      : undefined;
  if (due !== undefined) {
    const owner = mi.links.pir?.owner ?? mi.roles.serviceOwner ?? mi.roles.majorIncidentManager ?? null;
    await deps.store.appendTimeline(mi.id, [
      timelineEntry({
        at: deps.now?.() ?? new Date(),
        kind: 'pir.scheduled',
        actor: { type: 'system', id: 'timers' },
        detail: { dueAt: new Date(due).toISOString(), owner },
        configVersion: version,
      }),
    ]);
  }
  const plan = plannedTimers(mi, timeline, tier);
  for (const t of plan) await deps.schedule.schedule({ majorIncidentId: mi.id, id: t.id, kind: t.kind, n: t.n }, t.at);
  const planned = new Set(plan.map((t) => t.id));
  const stale = (await deps.store.scheduledTimers(miId)).filter((id) => !planned.has(id));
  for (const id of stale) await deps.schedule.cancel(id);
  await deps.store.setScheduledTimers(miId, [...planned], stale);
  return { scheduled: plan.length, removed: stale.length };
}

/** Start-up and the periodic sweep: every recent major incident's timers, recomputed. */
export async function syncAllTimers(deps: TimersDeps): Promise<number> {
  const now = (deps.now?.() ?? new Date()).getTime();
  const recent = await deps.store.list(now - TIMERS_LOOKBACK_MS, now, 10_000);
  let n = 0;
  for (const mi of recent) {
    if (!['declared', 'resolved', 'closed'].includes(mi.state)) continue;
    await syncTimers(deps, mi.id);
    n += 1;
  }
  return n;
}

/** The timers worker's body: re-check the plan, act once, schedule what comes next. */
export async function handleTimer(deps: TimersDeps, job: TimerJob): Promise<TimerHandled> {
  const mi = await deps.store.get(job.majorIncidentId);
  if (!mi) return 'orphaned';
  const rules = deps.rules();
  const now = deps.now?.() ?? new Date();
  const outcome = fireTimer(job, {
    mi,
    timeline: await deps.store.timeline(mi.id),
    tier: tierFor(deps, mi),
    now,
    configVersion: rules.version,
    updateJobs: (n) => rules.updateJobs(mi, n),
  });
  if (outcome.kind === 'early') return { early: outcome.at };
  if (outcome.kind === 'stale') {
    timersFired.inc({ kind: job.kind, outcome: 'stale' });
    return 'stale';
  }
  await deps.store.appendWithOutbox(mi.id, outcome.entries, outcome.jobs);
  // A drill escalates and flags overdue updates as a real one does, on its timeline and scorecard, not in the counters.
  if (outcome.escalated && !mi.exercise) escalationsTotal.inc({ kind: job.kind, service: mi.serviceId });
  if (outcome.overdue && !mi.exercise) updatesOverdue.inc({ service: mi.serviceId });
  timersFired.inc({ kind: job.kind, outcome: 'fired' });
  deps.logger.info(
    {
      majorIncidentId: mi.id,
      timer: job.id,
      kind: job.kind,
      escalated: outcome.escalated,
      overdue: outcome.overdue,
      actions: outcome.jobs.map((j) => j.do),
    },
    'timer fired',
  );
  if (outcome.jobs.length) deps.kick();
  await syncTimers(deps, mi.id);
  return 'fired';
}
