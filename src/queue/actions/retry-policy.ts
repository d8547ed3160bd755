import { isConnectorError } from '../../connectors/connector-error.ts';
import { durationMs } from '../../lib/duration.ts';

/**
 * The one place where connector errors become queue behaviour (STYLE habit 4):
 * - permanent (`retryable: false`, or not a ConnectorError at all, i.e. a bug) → dead letter now;
 * - the vendor named a wait (Retry-After, X-RateLimit-Reset) → wait exactly that long;
 * - otherwise → exponential backoff with full jitter, capped, until the retry horizon.
 */
export type RetryDecision =
  | { readonly kind: 'permanent'; readonly code: string }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly code: string };

export interface RetryPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  /** Give up (dead letter) once this much time has passed since the first attempt. */
  readonly horizonMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, capMs: 10 * 60_000, horizonMs: 24 * 3600_000 };

/** rules.yaml `actions.retry` (durations as written) → the policy the workers use. */
export function retryPolicyFrom(retry: {
  readonly base: string;
  readonly cap: string;
  readonly horizon: string;
}): RetryPolicy {
  return { baseMs: durationMs(retry.base), capMs: durationMs(retry.cap), horizonMs: durationMs(retry.horizon) };
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter: a throttled vendor's many failed jobs do not come back in lock-step.
  return Math.max(policy.baseMs / 2, Math.round(ceiling * random()));
}

export function decideRetry(
  err: unknown,
  attempt: number,
  firstAttemptAt: number,
  now: number,
  policy = DEFAULT_RETRY_POLICY,
  random?: () => number,
): RetryDecision {
  if (!isConnectorError(err)) return { kind: 'permanent', code: 'UNEXPECTED' };
  if (!err.retryable) return { kind: 'permanent', code: err.code };
  const delayMs = err.retryAfterMs !== undefined ? err.retryAfterMs : backoffDelay(attempt, policy, random);
  if (now + delayMs - firstAttemptAt > policy.horizonMs) return { kind: 'permanent', code: `${err.code}_PAST_HORIZON` };
  return { kind: 'retry', delayMs, code: err.code };
}

/** Enough attempts that the horizon, not the count, is what ends retrying. */
export function attemptsFor(policy: RetryPolicy): number {
  return Math.ceil(policy.horizonMs / (policy.baseMs / 2)) + 1;
}
