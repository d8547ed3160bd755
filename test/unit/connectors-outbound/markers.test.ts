import { describe, expect, it } from 'vitest';
import { assertMarker, boundedKey, truncate } from '../../../src/connectors/shared/markers.ts';

describe('idempotency markers', () => {
  it.each(['MI-2025-0042', 'mi_1', 'a.b:c'])('accepts %s', (id) => {
    expect(assertMarker('jira', id)).toBe(id);
  });

  it.each(['', 'has space', 'x^ORy', 'quote"', '-leading', 'ünï'])('refuses %j as a permanent INVALID_INPUT', (id) => {
    expect(() => assertMarker('servicenow', id)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', retryable: false }),
    );
  });

  it('keeps ids that fit and digests those that do not', () => {
    expect(boundedKey('MI-1', 100)).toBe('MI-1');
    const long = 'M'.repeat(101);
    expect(boundedKey(long, 100)).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(boundedKey(long, 40)).toHaveLength(40);
  });

  it('truncates by code point with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
