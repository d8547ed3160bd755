import { scrubSecrets } from './shared/scrub-secrets.ts';
import { ConnectorError, type ConnectorErrorCode, type ConnectorVendor } from './connector-error.ts';
import { retryAfterMs, type Clock, type HeaderSource } from './shared/retry-after.ts';

/**
 * The one place an HTTP failure becomes a retry decision (STYLE habit 4): 400/401/403/404/410/422
 * are permanent, 429 and 503 honour `Retry-After`, other 5xx, timeouts and network errors retry.
 * Pure but for nothing: the clock is injected for HTTP-date `Retry-After` values.
 */

export interface StatusClass {
  readonly code: ConnectorErrorCode;
  readonly retryable: boolean;
  /** Whether the vendor's `Retry-After`/`X-RateLimit-Reset` applies (RFC 9110 defines it for 429 and 503). */
  readonly honoursRetryAfter?: true;
}

/** The statuses we name; `satisfies` keeps every entry well-formed. */
export const HTTP_STATUS_CLASSES = {
  400: { code: 'BAD_REQUEST', retryable: false },
  401: { code: 'UNAUTHORIZED', retryable: false },
  403: { code: 'FORBIDDEN', retryable: false },
  404: { code: 'NOT_FOUND', retryable: false },
  408: { code: 'TIMEOUT', retryable: true },
  // Jira retries its own webhooks on 409 and 425 (docs/setup-jira.md): both are transient races.
  409: { code: 'CONFLICT', retryable: true },
  410: { code: 'GONE', retryable: false },
  413: { code: 'PAYLOAD_TOO_LARGE', retryable: false },
  422: { code: 'UNPROCESSABLE', retryable: false },
  425: { code: 'TOO_EARLY', retryable: true },
  429: { code: 'RATE_LIMITED', retryable: true, honoursRetryAfter: true },
  503: { code: 'UNAVAILABLE', retryable: true, honoursRetryAfter: true },
} as const satisfies Record<number, StatusClass>;

const OTHER_4XX: StatusClass = { code: 'CLIENT_ERROR', retryable: false };
const OTHER_5XX: StatusClass = { code: 'SERVER_ERROR', retryable: true };
const UNEXPECTED: StatusClass = { code: 'UNEXPECTED_STATUS', retryable: false };

export function statusClass(status: number): StatusClass {
  if (Object.hasOwn(HTTP_STATUS_CLASSES, status))
    return HTTP_STATUS_CLASSES[status as keyof typeof HTTP_STATUS_CLASSES];
  if (status >= 400 && status < 500) return OTHER_4XX;
  if (status >= 500 && status < 600) return OTHER_5XX;
  return UNEXPECTED;
}

/** Vendor error bodies are kept short; they help an operator, never decide a retry. */
export const DETAIL_MAX_LENGTH = 500;

export function errorDetail(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  const text = scrubSecrets(typeof body === 'string' ? body : JSON.stringify(body));
  return text.length > DETAIL_MAX_LENGTH ? `${text.slice(0, DETAIL_MAX_LENGTH)}…` : text;
}

export interface HttpFailure {
  readonly vendor: ConnectorVendor;
  readonly status: number;
  readonly headers?: HeaderSource;
  readonly body?: unknown;
  readonly now: Clock;
}

export function classifyHttpStatus(failure: HttpFailure): ConnectorError {
  const cls = statusClass(failure.status);
  const wait = cls.honoursRetryAfter ? retryAfterMs(failure.headers, failure.now) : undefined;
  return new ConnectorError({
    code: cls.code,
    vendor: failure.vendor,
    retryable: cls.retryable,
    status: failure.status,
    retryAfterMs: wait,
    detail: errorDetail(failure.body),
  });
}

/** Socket, undici and axios codes, and the DOMException names `AbortSignal.timeout` produces. */
const TIMEOUT_MARKERS = new Set([
  'ETIMEDOUT',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
  'TimeoutError',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** `fetch` hides the reason a level or two down (`TypeError: fetch failed` → cause), so walk the chain. */
function markersOf(err: unknown): string[] {
  const found: string[] = [];
  let cursor: unknown = err;
  for (let depth = 0; cursor instanceof Error && depth < 5; depth += 1) {
    const { code } = cursor as { code?: unknown };
    if (typeof code === 'string') found.push(code);
    found.push(cursor.name);
    cursor = cursor.cause;
  }
  return found;
}

/**
 * OpenSSL's verification codes, as Node gives them (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`…):
 * kept as the detail, since a certificate the vendor or a TLS-inspecting proxy presents that we do not
 * trust is fixed by the operator (NODE_EXTRA_CA_CERTS, docs/operations.md#proxy-and-tls), not by waiting.
 * https://nodejs.org/api/tls.html#x509-certificate-error-codes
 */
const TLS_CERT_CODE = /^(?:UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|INVALID_CA|HOSTNAME_MISMATCH)[A-Z_]*$/;

/**
 * A request that got no HTTP answer. The original error is not kept as `cause`: an axios error
 * carries the request config, Authorization header included, and a logger would print it.
 */
export function classifyTransportError(vendor: ConnectorVendor, err: unknown): ConnectorError {
  const markers = markersOf(err);
  const timedOut = markers.some((m) => TIMEOUT_MARKERS.has(m));
  const code = markers.find((m) => /^E[A-Z_]+$|^UND_ERR/.test(m) || TLS_CERT_CODE.test(m));
  const cause = new Error(code ? `transport error ${code}` : 'transport error');
  return new ConnectorError({ code: timedOut ? 'TIMEOUT' : 'NETWORK', vendor, retryable: true, cause, detail: code });
}
