/**
 * The one error type every outbound connector throws (after bullmq's `src/classes/errors`):
 * a stable `code` to branch on, and the retry decision made once, at the vendor boundary.
 * The queue layer maps `retryable`/`retryAfterMs` to BullMQ behaviour; nothing else inspects
 * vendor errors. Messages never carry secrets: they name the vendor, the code and the status.
 */

export const CONNECTOR_VENDORS = ['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email'] as const;
export type ConnectorVendor = (typeof CONNECTOR_VENDORS)[number];

export const CONNECTOR_ERROR_CODES = [
  /** 429, or a vendor's own throttling signal. */
  'RATE_LIMITED',
  /** 503: the vendor is down or in maintenance. */
  'UNAVAILABLE',
  /** No answer within the configured timeout (ours or the socket's), or HTTP 408. */
  'TIMEOUT',
  /** The request never got an HTTP answer: refused, reset, DNS, TLS. */
  'NETWORK',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  /** 409: a concurrent edit; Jira itself retries on it. */
  'CONFLICT',
  'GONE',
  'PAYLOAD_TOO_LARGE',
  'UNPROCESSABLE',
  /** 425 Too Early. */
  'TOO_EARLY',
  /** Any other 4xx. */
  'CLIENT_ERROR',
  /** 500, 502, 504 and any other 5xx. */
  'SERVER_ERROR',
  /** A status outside 2xx/4xx/5xx (an unfollowed redirect, say). */
  'UNEXPECTED_STATUS',
  /** A 2xx whose body is not what the vendor documents. */
  'INVALID_RESPONSE',
  /** Jira: no transition leads to the wanted status category. */
  'NO_TRANSITION',
  /** A call the connector refuses before sending: a missing routing key or webhook name, an unusable marker. */
  'INVALID_INPUT',
  /** Not sent yet: the record it writes to is still being created by another action (retried with backoff). */
  'DEPENDENCY_PENDING',
] as const;

/** Slack's Web API answers `ok:false` with an error string; it becomes `SLACK_<ERROR>` (upper-cased). */
export type SlackErrorCode = `SLACK_${string}`;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number] | SlackErrorCode;

export interface ConnectorErrorInit {
  readonly code: ConnectorErrorCode;
  readonly vendor: ConnectorVendor;
  readonly retryable: boolean;
  readonly status?: number;
  /** How long the vendor asked us to wait (Retry-After, X-RateLimit-Reset), in milliseconds. */
  readonly retryAfterMs?: number;
  /** A short, secret-free summary of the vendor's error body, for the dead-letter list. */
  readonly detail?: string;
  readonly cause?: unknown;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ConnectorErrorCode;
  readonly vendor: ConnectorVendor;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly detail?: string;

  constructor(init: ConnectorErrorInit) {
    const status = init.status === undefined ? '' : ` (HTTP ${init.status})`;
    super(`${init.vendor}: ${init.code}${status}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.vendor = init.vendor;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.detail !== undefined) this.detail = init.detail;
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** A permanent refusal raised before anything is sent. */
export function invalidInput(vendor: ConnectorVendor, detail: string): ConnectorError {
  return new ConnectorError({ code: 'INVALID_INPUT', vendor, retryable: false, detail });
}
