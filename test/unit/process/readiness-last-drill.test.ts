import { describe, expect, it } from 'vitest';
import { parseLastDrill } from '../../../src/store/last-drill.ts';

/** The last-drill value readiness reads from Redis: an ISO time or epoch milliseconds; anything else is "never". */
describe('parseLastDrill', () => {
  it('reads an ISO 8601 time and epoch milliseconds', () => {
    expect(parseLastDrill('2026-11-21T12:00:00.000Z')?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseLastDrill(String(Date.parse('2026-11-21T12:00:00.000Z')))?.toISOString()).toBe(
      '2026-11-21T12:00:00.000Z',
    );
  });

  it('reads a missing or unreadable value as never drilled, so a stray write cannot make a service look drilled', () => {
    expect(parseLastDrill(null)).toBeUndefined();
    expect(parseLastDrill('')).toBeUndefined();
    expect(parseLastDrill('yesterday')).toBeUndefined();
    expect(parseLastDrill('{"at":"2026-11-21"}')).toBeUndefined();
  });
});
