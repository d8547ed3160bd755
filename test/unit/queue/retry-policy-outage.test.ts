import { describe, expect, it } from 'vitest';
import { classifyHttpStatus } from '../../../src/connectors/classify-http-error.ts';
import type { ConnectorError } from '../../../src/connectors/connector-error.ts';
import { ACTION_JOB_OPTIONS } from '../../../src/queue/actions/action-queues.ts';
import {
  decideRetry,
  DEFAULT_RETRY_POLICY,
  retryPolicyFrom,
  type RetryPolicy,
} from '../../../src/queue/actions/retry-policy.ts';

/**
 * "A 10-minute vendor outage is simulated and ends with everything delivered once": one action
 * walked through the outage with an injected clock, the way the action worker calls the policy
 * (attempt = attemptsMade + 1, first attempt = the job's timestamp).
 */

const MINUTE = 60_000;
const START = Date.parse('2026-11-20T09:05:00Z');

/** mulberry32: a seeded random, so a failing walk can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Walk {
  readonly outcome: 'delivered' | 'dead_lettered';
  /** The attempt that succeeded, or the one that was dead-lettered. */
  readonly attempts: number;
  readonly at: number;
  readonly code?: string;
  readonly longestDelay: number;
}

/** Attempts every `delay` the policy decides until the vendor is back (delivered) or the policy gives up. */
function walk(
  outageMs: number,
  failure: (now: number) => ConnectorError,
  opts: { policy?: RetryPolicy; random?: () => number } = {},
): Walk {
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
  let now = START;
  let longestDelay = 0;
  for (let attempt = 1; ; attempt += 1) {
    if (now >= START + outageMs) return { outcome: 'delivered', attempts: attempt, at: now, longestDelay };
    const decision = decideRetry(failure(now), attempt, START, now, policy, opts.random);
    if (decision.kind === 'permanent')
      return { outcome: 'dead_lettered', attempts: attempt, at: now, code: decision.code, longestDelay };
    if (!(decision.delayMs > 0))
      throw new Error(`attempt ${attempt}: a retry without a delay (${decision.delayMs} ms)`);
    longestDelay = Math.max(longestDelay, decision.delayMs);
    now += decision.delayMs;
  }
}

const unavailable =
  (headers: Record<string, string> = {}) =>
  (now: number) =>
    classifyHttpStatus({ vendor: 'jira', status: 503, headers, body: 'Service Unavailable', now: () => now });
const throttled = (headers: (now: number) => Record<string, string>) => (now: number) =>
  classifyHttpStatus({ vendor: 'slack', status: 429, headers: headers(now), now: () => now });

describe('a 10-minute run of 503s with the default policy', () => {
  const randoms: Array<[string, () => number]> = [
    ['always the shortest jittered delay', () => 0],
    ['always the longest delay (the ceiling)', () => 1],
    ...Array.from({ length: 20 }, (_, i): [string, () => number] => [`seed ${i + 1}`, seeded(i + 1)]),
  ];

  it.each(randoms)(
    'is retried, never dead-lettered, and the first attempt after the outage comes within the backoff cap (%s)',
    (_name, random) => {
      const r = walk(10 * MINUTE, unavailable(), { random });
      expect(r.outcome).toBe('delivered');
      expect(r.at - (START + 10 * MINUTE)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.capMs);
      expect(r.longestDelay).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.capMs);
      // BullMQ fails a job whose attempts run out, without the worker's dead-letter step.
      expect(r.attempts).toBeLessThan(ACTION_JOB_OPTIONS.attempts ?? 0);
    },
  );

  it('backs off: the longest delay grows to minutes, so a long outage is not hammered', () => {
    const r = walk(10 * MINUTE, unavailable(), { random: () => 1 });
    // 1, 2, 4 … 512 s: ten attempts in the outage, the eleventh at 1023 s.
    expect(r.attempts).toBe(11);
    expect(r.longestDelay).toBe(512_000);
  });

  it('waits exactly what a 503 Retry-After names', () => {
    const r = walk(10 * MINUTE, unavailable({ 'Retry-After': '120' }));
    expect(r).toMatchObject({ outcome: 'delivered', attempts: 6, at: START + 10 * MINUTE, longestDelay: 120_000 });
  });

  it('a longer outage than the horizon does go to the dead-letter list (the walk can fail)', () => {
    const r = walk(25 * 60 * MINUTE, unavailable(), { random: seeded(7) });
    expect(r.outcome).toBe('dead_lettered');
    expect(r.code).toBe('UNAVAILABLE_PAST_HORIZON');
    expect(r.at - START).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.horizonMs);
    expect(r.at - START).toBeGreaterThan(DEFAULT_RETRY_POLICY.horizonMs - DEFAULT_RETRY_POLICY.capMs);
  });
});

describe('a 10-minute run of 429s with Retry-After', () => {
  it('waits what the vendor says (delta seconds) and is delivered the moment the wait after the outage ends', () => {
    const r = walk(
      10 * MINUTE,
      throttled(() => ({ 'retry-after': '30' })),
    );
    expect(r).toMatchObject({ outcome: 'delivered', attempts: 21, at: START + 10 * MINUTE, longestDelay: 30_000 });
  });

  it('honours an HTTP-date Retry-After against the injected clock', () => {
    const r = walk(
      10 * MINUTE,
      throttled((now) => ({ 'retry-after': new Date(now + 45_000).toUTCString() })),
    );
    expect(r.outcome).toBe('delivered');
    expect(r.longestDelay).toBeLessThanOrEqual(45_000);
    expect(r.at - (START + 10 * MINUTE)).toBeLessThanOrEqual(45_000);
  });

  it('a wait that would end past the horizon dead-letters instead of waiting', () => {
    const r = walk(
      25 * 60 * MINUTE,
      throttled(() => ({ 'retry-after': '3600' })),
    );
    expect(r).toMatchObject({ outcome: 'dead_lettered', code: 'RATE_LIMITED_PAST_HORIZON' });
  });
});

describe('policies rules.yaml accepts (actions.retry)', () => {
  // Regression guard: with `attempts: 100_000` (before 02c3f54) a legal short policy ran out of
  // BullMQ attempts hours before the horizon (1s/1s/24h needs about 138,000), and BullMQ failed the
  // job itself: no dead letter, no timeline entry, the action silently gone.
  it.each([
    ['base 1s, cap 1s, horizon 24h', { base: '1s', cap: '1s', horizon: '24h' }],
    ['base 100ms, cap 500ms, horizon 24h', { base: '100ms', cap: '500ms', horizon: '24h' }],
  ])("leave the horizon, not BullMQ's attempt count, to end retrying (%s)", (_name, retry) => {
    const policy = retryPolicyFrom(retry);
    const down = unavailable()(START);
    const r = walk(25 * 60 * MINUTE, () => down, { policy, random: seeded(3) });
    expect(r.outcome).toBe('dead_lettered');
    expect(r.attempts).toBeLessThanOrEqual(ACTION_JOB_OPTIONS.attempts ?? 0);
  });
});
