/**
 * `chat.postMessage`: "generally allows an app to post 1 message per second to a specific
 * channel … bursts over that limit for short periods". A token bucket per channel: `burst`
 * messages at once, refilled at `perSecond`; beyond it HTTP 429 with `Retry-After` seconds.
 * https://docs.slack.dev/reference/methods/chat.postMessage#rate_limiting
 * https://docs.slack.dev/apis/web-api/rate-limits
 */

export interface RateLimitOptions {
  /** Default 1. */
  readonly perSecond?: number;
  /** Messages a channel may take at once before the limit bites; default 3. */
  readonly burst?: number;
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export function createChannelLimiter(opts: RateLimitOptions, now: () => number) {
  const perSecond = opts.perSecond ?? 1;
  const burst = opts.burst ?? 3;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return (channel: string): Admission => {
    const t = now();
    const bucket = buckets.get(channel) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  };
}
