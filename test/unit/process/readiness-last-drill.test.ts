import { describe, expect, it } from 'vitest';
import { parseLastDrill } from '../../../src/store/last-drill.ts';

/** The last-drill value readiness reads from Redis: the drills feature's `{miId, closedAt, met}`; anything else is "never". */
describe('parseLastDrill', () => {
  it("reads the drill's closing time", () => {
    const value = JSON.stringify({ miId: 'MI-1', closedAt: '2026-11-21T12:00:00.000Z', met: false });
    expect(parseLastDrill(value)?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
  });

  it('reads a missing or unreadable value as never drilled, so a stray write cannot make a service look drilled', () => {
    for (const value of [
      null,
      '',
      'yesterday',
      '2026-11-21T12:00:00.000Z',
      'null',
      '{"closedAt":5}',
      '{"closedAt":"soon"}',
    ])
      expect(parseLastDrill(value)).toBeUndefined();
  });
});
