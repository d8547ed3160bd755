/**
 * When may we call again? `Retry-After` (RFC 9110 §10.2.3) is delta-seconds or an HTTP date;
 * Jira also sends `X-RateLimit-Reset` as an ISO 8601 instant and ServiceNow as epoch seconds.
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/inbound-REST-API-rate-limiting.html
 * Pure: the clock is injected so an HTTP date is testable.
 */

/** Milliseconds since the epoch, as `Date.now` gives them. */
export type Clock = () => number;

/** Anything headers come in: fetch `Headers`, axios headers (which have `get`), or a plain record. */
export type HeaderSource = { get(name: string): unknown } | Readonly<Record<string, unknown>>;

/** Header names are case-insensitive (RFC 9110 §5.1); a plain record may use any case. */
export function headerValue(headers: HeaderSource | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  let value: unknown;
  if (typeof headers.get === 'function') value = (headers as { get(name: string): unknown }).get(wanted);
  else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
    value = key === undefined ? undefined : (headers as Record<string, unknown>)[key];
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;
/** A bare number this large is an epoch instant (ServiceNow's reset), not a delay. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

function untilInstant(ms: number, now: Clock): number | undefined {
  return Number.isFinite(ms) ? Math.max(0, Math.ceil(ms - now())) : undefined;
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → milliseconds to wait. */
export function parseRetryAfter(value: string | undefined, now: Clock): number | undefined {
  if (value === undefined) return undefined;
  if (DELTA_SECONDS.test(value)) return Math.ceil(Number(value) * 1000);
  // Only the IMF-fixdate family is an HTTP date; Date.parse alone would also take "1" or "2".
  return /[A-Za-z]{3},? /.test(value) || /GMT$/.test(value) ? untilInstant(Date.parse(value), now) : undefined;
}

/** `X-RateLimit-Reset`: an ISO 8601 instant (Jira), epoch seconds (ServiceNow), or a delay in seconds. */
export function parseRateLimitReset(value: string | undefined, now: Clock): number | undefined {
  if (value === undefined) return undefined;
  if (DELTA_SECONDS.test(value)) {
    const n = Number(value);
    return n >= EPOCH_SECONDS_FLOOR ? untilInstant(n * 1000, now) : Math.ceil(n * 1000);
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? untilInstant(Date.parse(value), now) : undefined;
}

/** `Retry-After` wins; `X-RateLimit-Reset` is the fallback when only it is given. */
export function retryAfterMs(headers: HeaderSource | undefined, now: Clock): number | undefined {
  return (
    parseRetryAfter(headerValue(headers, 'retry-after'), now) ??
    parseRateLimitReset(headerValue(headers, 'x-ratelimit-reset'), now)
  );
}
