import { describe, expect, it } from 'vitest';
import { reopenDecision } from '../../../src/domain/lifecycle.ts';

const resolvedAt = new Date('2026-11-20T10:00:00Z');
const at = (iso: string) => new Date(iso);

describe('reopenDecision', () => {
  it('re-opens within the window, up to and including its last millisecond', () => {
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:00:00Z'), 60)).toBe('reopen');
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:59:59.999Z'), 60)).toBe('reopen');
    expect(reopenDecision(resolvedAt, at('2026-11-20T11:00:00Z'), 60)).toBe('reopen');
  });
  it('starts a new linked major incident one millisecond after it', () => {
    expect(reopenDecision(resolvedAt, at('2026-11-20T11:00:00.001Z'), 60)).toBe('new-linked');
    expect(reopenDecision(resolvedAt, at('2026-11-21T10:00:00Z'), 60)).toBe('new-linked');
  });
  it('honours fractional and zero windows', () => {
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:00:30Z'), 0.5)).toBe('reopen');
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:00:30.001Z'), 0.5)).toBe('new-linked');
    expect(reopenDecision(resolvedAt, resolvedAt, 0)).toBe('reopen');
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:00:00.001Z'), 0)).toBe('new-linked');
  });
  it('re-opens when the match is stamped before the resolution (clock skew between systems)', () => {
    expect(reopenDecision(resolvedAt, at('2026-11-20T09:59:58Z'), 60)).toBe('reopen');
  });
  it('never re-opens on an invalid date or window', () => {
    expect(reopenDecision(new Date('not a date'), at('2026-11-20T10:01:00Z'), 60)).toBe('new-linked');
    expect(reopenDecision(resolvedAt, new Date('not a date'), 60)).toBe('new-linked');
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:01:00Z'), Number.NaN)).toBe('new-linked');
    expect(reopenDecision(resolvedAt, at('2026-11-20T10:01:00Z'), -5)).toBe('new-linked');
  });
});
