import { describe, expect, it } from 'vitest';
import {
  headerValue,
  parseRateLimitReset,
  parseRetryAfter,
  retryAfterMs,
} from '../../../src/connectors/shared/retry-after.ts';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const now = () => NOW;

describe('Retry-After', () => {
  it.each([
    ['0', 0],
    ['30', 30_000],
    ['1.5', 1_500],
    [new Date(NOW + 120_000).toUTCString(), 120_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['Sunday, 01-Jun-25 12:00:10 GMT', 10_000],
  ])('%s → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each(['', 'soon', '-5', '1e3', '2025-06-01'])('ignores %j', (value) => {
    expect(parseRetryAfter(value || undefined, now)).toBeUndefined();
  });
});

describe('X-RateLimit-Reset', () => {
  it.each([
    [new Date(NOW + 45_000).toISOString(), 45_000],
    ['2025-06-01T12:01Z', 60_000],
    [String(NOW / 1000 + 90), 90_000],
    ['20', 20_000],
    [String(NOW / 1000 - 90), 0],
  ])('%s → %i ms', (value, ms) => {
    expect(parseRateLimitReset(value, now)).toBe(ms);
  });

  it('ignores text it cannot read', () => {
    expect(parseRateLimitReset('tomorrow', now)).toBeUndefined();
  });
});

describe('header lookup is case-insensitive', () => {
  it.each([
    ['fetch Headers', new Headers({ 'Retry-After': '5' })],
    ['plain record', { 'RETRY-AFTER': '5' }],
    ['record with arrays', { 'retry-after': ['5', '9'] }],
    ['numbers', { 'Retry-After': 5 }],
  ])('%s', (_kind, headers) => {
    expect(headerValue(headers, 'Retry-After')).toBe('5');
    expect(retryAfterMs(headers, now)).toBe(5_000);
  });

  it('prefers Retry-After over X-RateLimit-Reset', () => {
    expect(retryAfterMs({ 'x-ratelimit-reset': '60', 'retry-after': '2' }, now)).toBe(2_000);
    expect(retryAfterMs({ 'X-RateLimit-Reset': '60' }, now)).toBe(60_000);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
