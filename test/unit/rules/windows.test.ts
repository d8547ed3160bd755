import { describe, expect, it } from 'vitest';
import { windowDefinitions, windowFacts } from '../../../src/rules/windows.ts';
import { compile, NOW } from './rules-helpers.ts';

const MIN = 60_000;
const t = (minutesAgo: number) => NOW.getTime() - minutesAgo * MIN;

describe('windowFacts: an exact sliding window', () => {
  it('counts distinct incidents and distinct callers with an entry in [now - duration, now]', () => {
    const entries = [
      { at: t(10) - 1, incidentKey: 'a', caller: 'x' }, // just outside
      { at: t(10), incidentKey: 'b', caller: 'x' }, // on the boundary: in
      { at: t(5), incidentKey: 'c', caller: 'y' },
      { at: t(1), incidentKey: 'c', caller: 'y' }, // the same incident again
      { at: t(0), incidentKey: 'd' }, // no caller
      { at: t(-1), incidentKey: 'e', caller: 'z' }, // after now: not yet
    ];
    expect(windowFacts(entries, NOW, 10 * MIN)).toEqual({ count: 3, distinctCallers: 2 });
    expect(windowFacts(entries, NOW.getTime(), 10 * MIN - 1)).toEqual({ count: 2, distinctCallers: 1 });
    expect(windowFacts([], NOW, 10 * MIN)).toEqual({ count: 0, distinctCallers: 0 });
  });

  it('accepts ISO strings and Dates as times', () => {
    expect(
      windowFacts(
        [
          { at: '2026-11-20T08:55:00Z', incidentKey: 'a' },
          { at: new Date('2026-11-20T08:59:00Z'), incidentKey: 'b' },
        ],
        NOW,
        5 * MIN,
      ).count,
    ).toBe(2);
  });
});

describe('windowDefinitions', () => {
  it("exposes each window's id, filter, duration in ms and a matcher that never throws", () => {
    const rules = compile([{ id: 'r', when: 'window.open_1h.count > 2' }], {
      windows: [
        { id: 'open_1h', filter: 'incident.state != "resolved"', duration: '1h' },
        { id: 'all_30s', duration: '30s' },
      ],
    });
    const [open, all] = windowDefinitions(rules);
    expect(open).toMatchObject({
      id: 'open_1h',
      filter: 'incident.state != "resolved"',
      durationMs: 3_600_000,
      per: 'service',
    });
    expect(all).toMatchObject({ id: 'all_30s', filter: 'true', durationMs: 30_000 });
    const service = { id: 'payroll', tier: 1 };
    expect(open!.matches({ incident: { state: 'new' }, service, now: NOW })).toBe(true);
    expect(open!.matches({ incident: { state: 'resolved' }, service, now: NOW })).toBe(false);
    expect(open!.matches({ incident: {}, service, now: NOW })).toBe(false); // the filter errors: not counted
    expect(windowDefinitions({ compiled: rules }).map((w) => w.id)).toEqual(['open_1h', 'all_30s']);
  });
});
