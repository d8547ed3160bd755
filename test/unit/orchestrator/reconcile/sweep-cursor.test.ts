import { describe, expect, it } from 'vitest';
import {
  foldPage,
  initialCursor,
  settledCursor,
  SETTLE_SECONDS,
  toSnDateTime,
  type SweepPosition,
} from '../../../../src/reconcile/sweep-cursor.ts';

const row = (at: string, key: string) => ({ at, key });
const start = (at: string, seen: string[] = [], offset = 0): SweepPosition => ({ cursor: { at, seen }, offset });

describe('the ServiceNow sweep cursor', () => {
  it('writes times in the Table API format, UTC, whole seconds', () => {
    expect(toSnDateTime(new Date('2026-11-20T09:05:07.999Z'))).toBe('2026-11-20 09:05:07');
  });

  it('starts one interval back on the first run', () => {
    expect(initialCursor(new Date('2026-11-20T09:05:00Z'), 300)).toEqual({ at: '2026-11-20 09:00:00', seen: [] });
  });

  it('moves to the newest time of a page and remembers the rows at that second', () => {
    const { fresh, next } = foldPage(start('2026-11-20 09:00:00'), [
      row('2026-11-20 09:00:00', 'a@1'),
      row('2026-11-20 09:01:00', 'b@4'),
      row('2026-11-20 09:02:00', 'c@2'),
      row('2026-11-20 09:02:00', 'd@7'),
    ]);
    expect(fresh.map((r) => r.key)).toEqual(['a@1', 'b@4', 'c@2', 'd@7']);
    // The next page starts at 09:02:00 again, past the two rows of this page at that second.
    expect(next).toEqual({ cursor: { at: '2026-11-20 09:02:00', seen: ['c@2', 'd@7'] }, offset: 2 });
  });

  it('skips the rows it already took at the cursor second, but not a later update of them in that second', () => {
    const { fresh } = foldPage(start('2026-11-20 09:02:00', ['c@2', 'd@7']), [
      row('2026-11-20 09:02:00', 'c@2'),
      row('2026-11-20 09:02:00', 'c@3'),
      row('2026-11-20 09:02:00', 'd@7'),
      row('2026-11-20 09:03:00', 'e@1'),
    ]);
    expect(fresh.map((r) => r.key)).toEqual(['c@3', 'e@1']);
  });

  it('pages through a second holding more rows than a page instead of reading the same page again', () => {
    const first = foldPage(start('2026-11-20 09:02:00', ['x@1']), [
      row('2026-11-20 09:02:00', 'x@1'),
      row('2026-11-20 09:02:00', 'y@1'),
    ]);
    expect(first.next).toEqual({ cursor: { at: '2026-11-20 09:02:00', seen: ['x@1', 'y@1'] }, offset: 2 });
    const second = foldPage(first.next, [row('2026-11-20 09:02:00', 'z@1'), row('2026-11-20 09:02:00', 'w@1')]);
    expect(second.fresh.map((r) => r.key)).toEqual(['z@1', 'w@1']);
    expect(second.next.offset).toBe(4);
  });

  it('an empty page leaves the cursor where it was', () => {
    const position = start('2026-11-20 09:02:00', ['c@2'], 3);
    expect(foldPage(position, [])).toEqual({ fresh: [], next: position });
  });

  it('stores a cursor no nearer to now than the settle time, so late commits are read again', () => {
    const now = new Date('2026-11-20T09:10:00Z');
    expect(SETTLE_SECONDS).toBeGreaterThan(0);
    expect(settledCursor({ at: '2026-11-20 09:09:30', seen: ['a@1'] }, now)).toEqual({
      at: toSnDateTime(new Date(now.getTime() - SETTLE_SECONDS * 1000)),
      seen: [],
    });
    expect(settledCursor({ at: '2026-11-20 09:00:00', seen: ['a@1'] }, now)).toEqual({
      at: '2026-11-20 09:00:00',
      seen: ['a@1'],
    });
  });
});
