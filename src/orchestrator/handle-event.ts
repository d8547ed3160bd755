import { incidentKey, type IncidentEvent } from '../domain/incident-event.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import { echoesDropped } from '../observability/metrics.ts';
import { applyDecision, appliedLabel } from './apply-decision.ts';
import { applyFieldSync } from './apply-field-sync.ts';
import { attachStorm } from './attach-storm.ts';
import { applyRoleSync } from './apply-role-sync.ts';
import type { FingerprintStore } from '../store/fingerprint-store.ts';
import { candidatePairs, isWhollyOurs, withoutOurs, type WrittenField } from './fingerprints.ts';
import { decide } from './decide.ts';
import { handlePageEvent, miIdOfDedupKey } from './page-events.ts';
import { pirCompletion } from '../process/pir-events.ts';
import { commentMemoryMember, commentSyncJobs } from './comment-sync.ts';
import { captureAssignee } from './assignee.ts';
import { captureLatestUpdate } from './latest-update.ts';
import type { EventLog } from '../store/event-log.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { MergedIncident, RulesRuntime } from './rules-runtime.ts';
import type { SnapshotStore } from '../store/snapshot-store.ts';
import type { WindowFacts, WindowStore } from '../store/window-store.ts';
import type { RuleErrorReporter } from '../rules/run-error-log.ts';

export interface OrchestratorDeps {
  readonly snapshots: SnapshotStore;
  readonly windows: WindowStore;
  readonly eventLog: EventLog;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  /** The active config, read once per event so a hot reload applies from the next event on. */
  readonly rules: () => RulesRuntime;
  readonly logger: Logger;
  readonly now?: () => Date;
  /**
   * The integration's own accounts per source (ServiceNow user name, Jira account id): changes
   * they authored are our own writes coming back, and never drive a decision.
   */
  readonly ownAccounts?: Partial<Record<IncidentEvent['source'], string>>;
  /** What our executors wrote, per record and field: the second echo guard. */
  readonly fingerprints?: FingerprintStore;
  /** Told which major incident an event moved or touched, so its timers follow (process/timers-sync.ts). */
  readonly changed?: (miId: string) => void;
  /** Counts, logs and records the rules that could not be evaluated (rules/run-error-log.ts). */
  readonly ruleErrors?: RuleErrorReporter;
}

/**
 * Events worker body: record, merge into the snapshot, count windows, evaluate rules, decide,
 * apply. Every step is safe to repeat, so a retried job converges on the same state.
 */
export async function handleEvent(deps: OrchestratorDeps, received: IncidentEvent): Promise<string> {
  const now = deps.now?.() ?? new Date();
  // Independent writes, sent together: the log records every delivery, stale or not.
  const [, freshness] = await Promise.all([
    deps.eventLog.append(received, now.getTime()),
    deps.snapshots.apply(received),
  ]);
  // An older delivery may not roll state back; comments in it still count (sync comes later).
  if (freshness === 'stale' && !received.comment) return 'stale';

  const key = incidentKey(received);
  // Consumed before the account check too, so a fingerprint never outlives the echo it explains.
  const ours: Set<WrittenField> = deps.fingerprints
    ? await deps.fingerprints.consume(key, candidatePairs(received))
    : new Set();
  // Provenance, not time windows: our own writes update the snapshot but decide nothing.
  const own = deps.ownAccounts?.[received.source];
  if (own && received.updatedBy === own) {
    echoesDropped.inc({ source: received.source, by: 'account' });
    return 'echo';
  }
  if (isWhollyOurs(received, ours)) {
    echoesDropped.inc({ source: received.source, by: 'fingerprint' });
    return 'echo';
  }
  // Fields set to what we wrote (the middle status of a two-step transition) decide nothing.
  const event = withoutOurs(received, ours);

  const rules = deps.rules();
  if (event.source === 'pagerduty') {
    const paged = await handlePageEvent(deps.store, event, now, rules.version);
    if (paged !== 'nothing' && event.page?.dedupKey) deps.changed?.(miIdOfDedupKey(event.page.dedupKey));
    return paged;
  }

  const snapshot = await deps.snapshots.get(key);
  const incident: MergedIncident = { ...snapshot, ...event };
  const service = rules.resolveService(incident);
  const at = Date.parse(event.updatedAt);
  const window: Record<string, WindowFacts> = {};
  const { linked, open, last } = await deps.store.lookup(key, service?.id);
  // A drill's own record is no outage: it never counts towards a real storm.
  const counted = linked?.exercise !== true;
  if (service) {
    // Each window has keys of its own, so their touches go out together.
    const facts = await Promise.all(
      rules.windows.map((w) =>
        deps.windows.touch(
          {
            windowId: w.id,
            serviceId: service.id,
            durationMs: w.durationMs,
            at,
            ...(counted && w.matches(incident, service, now)
              ? { incidentKey: key, ...(incident.caller ? { caller: incident.caller } : {}) }
              : {}),
          },
          now.getTime(),
        ),
      ),
    );
    rules.windows.forEach((w, i) => {
      window[w.id] = facts[i]!;
    });
  }
  const evaluation = rules.evaluate({ incident, service, window, now });
  await deps.ruleErrors?.(evaluation, incident);
  const decision = decide({
    event,
    serviceId: service?.id ?? null,
    verdict: evaluation,
    now,
    reopenWithinMinutes: rules.reopenWithinMinutes,
    ...(linked ? { linked } : {}),
    ...(open ? { open } : {}),
    ...(last ? { last } : {}),
  });
  const applied = await applyDecision(
    { event, incident, service, evaluation, rules, store: deps.store, now },
    decision,
  );
  const pirDone = linked?.links.pir
    ? pirCompletion(linked, event, await deps.store.timeline(linked.id), now, rules.version)
    : undefined;
  if (linked && pirDone) {
    await deps.store.appendTimeline(linked.id, [pirDone]);
    deps.changed?.(linked.id);
  }
  const created = applied.kind === 'created' ? applied.mi : undefined;
  const stormWindows = created && evaluation.decidedBy ? rules.windowsOf(evaluation.decidedBy) : [];
  if (created && service && stormWindows.length) {
    const members = new Set<string>();
    for (const w of rules.windows.filter((x) => stormWindows.includes(x.id))) {
      for (const k of await deps.windows.members(w.id, service.id, w.durationMs, at)) members.add(k);
    }
    await attachStorm(
      { store: deps.store, snapshots: deps.snapshots, configVersion: rules.version },
      created,
      [...members],
      stormWindows,
      now,
    );
  }
  // Timers follow moves only: an attached child changes no timer (and a storm attaches thousands;
  // the minute sweep still covers every major incident).
  const touched =
    decision.kind === 'create'
      ? created?.id
      : decision.kind === 'transition' || (decision.kind === 'attach' && decision.then !== undefined)
        ? decision.miId
        : undefined;
  if (deps.changed && touched) deps.changed(touched);
  const synced = linked ? await applyFieldSync(deps.store, rules, linked, event, now) : undefined;
  if (linked) {
    // What the record says besides its state and fields: the resolver group, the assignee, and the latest public
    // update.
    await applyRoleSync(deps.store, rules, linked.id, event, now);
    await captureAssignee(deps.store, linked, event);
    await captureLatestUpdate(deps.store, linked, event);
  }
  const decided = appliedLabel(applied);
  const outcome = synced ? `${decided}+${synced}` : decided;
  if (linked && event.comment) {
    // Once per comment for the major incident's life: the action job's own id is forgotten after
    // 24 h, and a replay of an old signed delivery must not post the comment again.
    const queued = await deps.store.enqueueOnce(linked.id, commentMemoryMember(event), commentSyncJobs(linked, event));
    if (queued) return `${outcome}+comment`;
  }
  const log = deps.logger.child({ source: event.source, deliveryId: event.deliveryId });
  if (evaluation.unmapped)
    log.info(
      { recordId: event.recordId, serviceName: incident.serviceName, ciName: incident.ciName },
      'incident on a service not in the catalogue; never declared automatically',
    );
  if (decision.kind !== 'nothing')
    log.info({ decision, outcome, configVersion: rules.version }, 'major incident decision');
  return outcome;
}
