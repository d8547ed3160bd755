import type { RecordReader, RecordSweep } from '../connectors/capabilities.ts';
import type { NormalizeResult } from '../connectors/inbound-source.ts';
import type { IncidentEvent, Source } from '../domain/incident-event.ts';
import { OPEN_STATES, type MajorIncident } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import { reconcileEvents, reconcileRuns } from '../observability/metrics.ts';
import { recordsToRead } from './records-to-read.ts';
import { foldPage, initialCursor, settledCursor, type SweepCursor, type SweepPosition } from './sweep-cursor.ts';

export interface ReconcileDeps {
  /** Absent when ServiceNow is not configured: no sweep, no ServiceNow reads. */
  readonly servicenow?: RecordSweep;
  readonly jira?: RecordReader;
  readonly store: { listInStates(states: readonly string[]): Promise<MajorIncident[]> };
  readonly cursor: { get(): Promise<SweepCursor | undefined>; set(cursor: SweepCursor): Promise<void> };
  /** The webhooks' own intake (acceptEvent): same job ids, same duplicate records. */
  readonly accept: (event: IncidentEvent) => Promise<{ readonly status: 'accepted' | 'duplicate' }>;
  /** The first sweep looks back this far. */
  readonly intervalSeconds: number;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly pageSize?: number;
  readonly maxPages?: number;
}

export type ReconcileOutcome = 'ok' | 'partial' | 'failed';

export interface ReconcileSummary {
  readonly outcome: ReconcileOutcome;
  readonly rowsSwept: number;
  readonly openMajorIncidents: number;
  readonly recordsRead: number;
  readonly enqueued: number;
  readonly duplicates: number;
  readonly invalid: number;
  readonly errors: number;
  /** Where the next sweep starts; unchanged after a failed sweep. */
  readonly cursor?: string;
}

/** Table API pages: 100 rows keeps a response small; 20 pages bound one run, the next run goes on. */
export const SWEEP_PAGE_SIZE = 100;
export const SWEEP_MAX_PAGES = 20;

const SWEEP_META = { incidentId: 'reconcile' } as const;

/** A connector error's stable code, never its message or cause (they may hold request details). */
const codeOf = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'UNEXPECTED';

interface Tally {
  rowsSwept: number;
  recordsRead: number;
  enqueued: number;
  duplicates: number;
  invalid: number;
  errors: number;
  worked: number;
}

async function take(
  deps: ReconcileDeps,
  tally: Tally,
  source: Source,
  result: NormalizeResult,
  where: Record<string, unknown>,
): Promise<void> {
  if (result.kind !== 'event') {
    tally.invalid += 1;
    reconcileEvents.inc({ source, result: 'invalid' });
    deps.logger.warn(
      { source, ...where, issues: result.kind === 'invalid' ? result.issues : [] },
      'reconcile: a record read back does not make an event; skipped',
    );
    return;
  }
  const accepted = await deps.accept(result.event);
  if (accepted.status === 'accepted') tally.enqueued += 1;
  else tally.duplicates += 1;
  reconcileEvents.inc({ source, result: accepted.status });
}

/**
 * Pages through incidents updated since the cursor and hands each row to intake as the webhook
 * would have. Any failure (ServiceNow, Redis) ends the sweep before the cursor is written.
 */
async function sweep(
  deps: ReconcileDeps,
  sn: NonNullable<ReconcileDeps['servicenow']>,
  tally: Tally,
  now: Date,
): Promise<SweepCursor> {
  const limit = deps.pageSize ?? SWEEP_PAGE_SIZE;
  let position: SweepPosition = {
    cursor: (await deps.cursor.get()) ?? initialCursor(now, deps.intervalSeconds),
    offset: 0,
  };
  for (let page = 0; page < (deps.maxPages ?? SWEEP_MAX_PAGES); page += 1) {
    const rows = await sn.listUpdatedSince({ since: position.cursor.at, limit, offset: position.offset }, SWEEP_META);
    tally.rowsSwept += rows.length;
    const located = rows.flatMap((row) => (row.position ? [{ ...row.position, row }] : []));
    tally.invalid += rows.length - located.length;
    const { fresh, next } = foldPage(position, located);
    for (const r of fresh) await take(deps, tally, 'servicenow', r.row.toEvent(now), { row: r.key });
    position = next;
    if (rows.length < limit) break;
  }
  const stored = settledCursor(position.cursor, now);
  await deps.cursor.set(stored);
  return stored;
}

/** Reads one record and takes it in; a failure is counted and logged, and the run goes on. */
async function readOne(
  deps: ReconcileDeps,
  tally: Tally,
  source: Source,
  id: string,
  mi: MajorIncident,
  read: () => Promise<NormalizeResult>,
) {
  try {
    const result = await read();
    tally.recordsRead += 1;
    tally.worked += 1;
    await take(deps, tally, source, result, { majorIncidentId: mi.id, record: id });
  } catch (err) {
    tally.errors += 1;
    reconcileEvents.inc({ source, result: 'failed' });
    deps.logger.warn(
      { source, majorIncidentId: mi.id, record: id, code: codeOf(err) },
      'reconcile: reading a linked record failed; the next run tries again',
    );
  }
}

/**
 * One reconciliation run: the ServiceNow sweep, then every open major incident's origin and
 * linked records read back. Everything read goes through the webhooks' intake, so the
 * orchestrator decides as it would have, duplicates are recognised and stale reads are no-ops.
 * One vendor failing never stops the other's part.
 */
export async function runReconcile(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const now = deps.now?.() ?? new Date();
  const tally: Tally = { rowsSwept: 0, recordsRead: 0, enqueued: 0, duplicates: 0, invalid: 0, errors: 0, worked: 0 };
  let cursor: string | undefined;

  if (deps.servicenow) {
    try {
      cursor = (await sweep(deps, deps.servicenow, tally, now)).at;
      tally.worked += 1;
    } catch (err) {
      tally.errors += 1;
      reconcileEvents.inc({ source: 'servicenow', result: 'failed' });
      deps.logger.warn(
        { code: codeOf(err) },
        'reconcile: ServiceNow sweep failed; its cursor stays, the next run sweeps the same range',
      );
    }
  }

  let open: MajorIncident[] = [];
  try {
    open = await deps.store.listInStates(OPEN_STATES);
  } catch (err) {
    tally.errors += 1;
    deps.logger.warn({ code: codeOf(err) }, 'reconcile: listing open major incidents failed');
  }
  const { servicenow: sn, jira } = deps;
  for (const mi of open) {
    const records = recordsToRead(mi);
    if (sn) {
      for (const sysId of records.servicenow) {
        await readOne(deps, tally, 'servicenow', sysId, mi, () => sn.readRecord(sysId, { incidentId: mi.id }, now));
      }
    }
    if (jira) {
      for (const key of records.jira) {
        await readOne(deps, tally, 'jira', key, mi, () => jira.readRecord(key, { incidentId: mi.id }, now));
      }
    }
  }

  const outcome: ReconcileOutcome = tally.errors === 0 ? 'ok' : tally.worked > 0 ? 'partial' : 'failed';
  reconcileRuns.inc({ outcome });
  const { worked: _worked, ...counts } = tally;
  const summary: ReconcileSummary = {
    outcome,
    ...counts,
    openMajorIncidents: open.length,
    ...(cursor ? { cursor } : {}),
  };
  deps.logger.info(summary, 'reconcile run finished');
  return summary;
}
