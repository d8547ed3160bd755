import { z } from 'zod';
import type { SweptPosition } from '../connectors/capabilities.ts';

/**
 * Where the ServiceNow sweep resumes: the last `sys_updated_on` it took in (Table API format,
 * UTC) and the rows it already took at that very second. `sys_updated_on` has whole seconds, so
 * the next query starts at that second again (`>=`) and the rows seen there are skipped.
 */
export const SweepCursor = z.object({
  at: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  /** `sys_id@sys_mod_count` of the rows taken at `at`: a second update in the same second is a new row. */
  seen: z.array(z.string()),
});
export type SweepCursor = z.infer<typeof SweepCursor>;

/** One swept row as the cursor needs it. */
export type SweptRow = SweptPosition;

/** The in-run paging position: the query's start time is `cursor.at`, `offset` rows into it. */
export interface SweepPosition {
  readonly cursor: SweepCursor;
  readonly offset: number;
}

/**
 * A record may commit some time after the `sys_updated_on` it carries, so the stored cursor stays
 * this far behind our clock; rows in between are read again next run and dedupe at intake.
 */
export const SETTLE_SECONDS = 60;

/** `2026-11-20T09:05:00.123Z` → `2026-11-20 09:05:00` (UTC, the Table API's stored format). */
export function toSnDateTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/** The first run has no cursor: it looks back one interval. */
export function initialCursor(now: Date, intervalSeconds: number): SweepCursor {
  return { at: toSnDateTime(new Date(now.getTime() - intervalSeconds * 1000)), seen: [] };
}

/**
 * Folds one page (ordered by `sys_updated_on`, then sys_id) into the position. Rows already seen
 * at the cursor's second are not fresh. The next page starts at the newest time of this one,
 * skipping the rows of this page at that time (the page's tail), so a page full of one second
 * moves on by its length instead of reading itself again.
 */
export function foldPage<R extends SweptRow>(
  position: SweepPosition,
  rows: readonly R[],
): { fresh: R[]; next: SweepPosition } {
  const { cursor, offset } = position;
  const seen = new Set(cursor.seen);
  const fresh = rows.filter((r) => !(r.at === cursor.at && seen.has(r.key)));
  // `at` is a ServiceNow date-time string, compared in lexical order; Math.max would make it NaN.
  // biome-ignore lint/complexity/useMathMinMax: strings, not numbers (above)
  const last = rows.reduce((max, r) => (r.at > max ? r.at : max), cursor.at);
  const atLast = rows.filter((r) => r.at === last).map((r) => r.key);
  if (last === cursor.at) {
    return {
      fresh,
      next: { cursor: { at: last, seen: [...new Set([...cursor.seen, ...atLast])] }, offset: offset + rows.length },
    };
  }
  return { fresh, next: { cursor: { at: last, seen: [...new Set(atLast)] }, offset: atLast.length } };
}

/** The cursor to store after a complete sweep: never past `now − SETTLE_SECONDS`. */
export function settledCursor(cursor: SweepCursor, now: Date): SweepCursor {
  const limit = toSnDateTime(new Date(now.getTime() - SETTLE_SECONDS * 1000));
  return cursor.at > limit ? { at: limit, seen: [] } : cursor;
}
