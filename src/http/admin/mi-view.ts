import type { MajorIncident, TimelineEntry } from '../../domain/major-incident.ts';
import { ASSIGNEE_FIELD, type Assignee } from '../../orchestrator/assignee.ts';
import { LATEST_UPDATE_FIELD, type LatestUpdate } from '../../orchestrator/latest-update.ts';
import type { DeadLetter } from '../../queue/actions/dead-letters.ts';
import { checklist } from '../../process/checklist.ts';
import { deadlines } from '../../process/deadlines.ts';
import { formatMeasures, measures } from '../../process/measures.ts';
import { plannedTimers } from '../../process/timers-plan.ts';
import { communications } from './communications.ts';
import { serviceById, type AdminDeps } from './deps.ts';
import { miFacts } from './mi-facts.ts';
import { vendorUrls } from './vendor-urls.ts';

/** How many dead letters the board and detail read: enough for any real backlog, bounded for a flood. */
const LETTERS_SCAN = 1_000;

/** The dead letters not yet replayed or discarded, by major incident. */
export async function lettersByMi(deps: Pick<AdminDeps, 'deadLetters'>): Promise<Map<string, DeadLetter[]>> {
  const out = new Map<string, DeadLetter[]>();
  for (const l of await deps.deadLetters.list(LETTERS_SCAN)) {
    const id = (l.job as { majorIncidentId?: unknown } | undefined)?.majorIncidentId;
    if (typeof id !== 'string') continue;
    out.set(id, [...(out.get(id) ?? []), l]);
  }
  return out;
}

/**
 * Everything the detail and the board show of one major incident, read from the store and derived by the process
 * (docs/process.md): the mobilisation checklist, the measures and the timers planned now, timed as the timers
 * runtime times them (a service no longer in the catalogue by tier 3), and the facts at a glance.
 */
export async function miView(deps: AdminDeps, mi: MajorIncident, letters: readonly DeadLetter[]) {
  const [children, timeline, synced] = await Promise.all([
    deps.store.children(mi.id),
    deps.store.timeline(mi.id) as Promise<TimelineEntry[]>,
    deps.store.synced(mi.id),
  ]);
  const latestUpdate = synced[LATEST_UPDATE_FIELD] as LatestUpdate | undefined;
  const assignee = synced[ASSIGNEE_FIELD] as Assignee | undefined;
  const service = serviceById(deps, mi.serviceId);
  const tier = deps.rules().tierTimers(service?.tier ?? 3);
  const values = measures(mi, timeline);
  const items = checklist(mi, timeline);
  const timers = plannedTimers(mi, timeline, tier);
  const due = deadlines(timers);
  const bases = deps.vendorBases ?? {};
  const urls = vendorUrls(mi, bases);
  const facts = miFacts({
    mi,
    timeline,
    children,
    ...(latestUpdate ? { latestUpdate } : {}),
    ...(assignee ? { assignee } : {}),
    deadLetters: letters.length,
    checklist: items,
    deadlines: due,
    ...(service ? { service: { name: service.name, tier: service.tier } } : {}),
    urls,
    bases,
  });
  return {
    children,
    timeline,
    urls,
    facts,
    checklist: items,
    measures: values,
    measuresText: formatMeasures(values),
    timers: timers.map((t) => ({
      id: t.id,
      kind: t.kind,
      n: t.n,
      at: new Date(t.at).toISOString(),
      label: due.find((d) => d.kind === t.kind)?.label,
    })),
    /** Wrapped in a function: only the detail pays for it. */
    communications: () =>
      communications(timeline, letters, deps.config.current().audiences.audiences, mi.links.slack ?? {}),
  };
}
