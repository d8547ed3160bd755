/**
 * Events API v2 validation as PagerDuty answers it: 400 `{status: 'invalid event', message,
 * errors: [...]}`, one string per problem.
 * https://developer.pagerduty.com/api-reference/368ae3d938c9e-send-an-event-to-pager-duty
 * https://developer.pagerduty.com/docs/events-api-v2-overview#response-codes--retry-logic
 */

/** "This is the 32 character Integration Key for an integration on a service." */
export const ROUTING_KEY_LENGTH = 32;
/** `dedup_key`: "Maximum of 255 characters." */
export const DEDUP_KEY_MAX_LENGTH = 255;
/** `payload.summary`: "Maximum of 1024 characters." */
export const SUMMARY_MAX_LENGTH = 1024;

export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];
export type Severity = (typeof SEVERITIES)[number];

export interface ValidEvent {
  readonly routingKey: string;
  readonly action: EventAction;
  readonly dedupKey?: string;
  readonly summary?: string;
  readonly source?: string;
  readonly severity?: Severity;
  readonly customDetails?: unknown;
  readonly body: Readonly<Record<string, unknown>>;
}

export type Validation =
  | { readonly ok: true; readonly event: ValidEvent }
  | { readonly ok: false; readonly errors: readonly string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);
const listed = (list: readonly string[]) => list.map((s) => `'${s}'`).join(', ');

function payloadErrors(payload: unknown): string[] {
  if (!isRecord(payload)) return ["'payload' is missing or blank"];
  const errors: string[] = [];
  if (blank(payload.summary)) errors.push("'payload.summary' is missing or blank");
  else if ((payload.summary as string).length > SUMMARY_MAX_LENGTH)
    errors.push(`Length of 'payload.summary' is too long (must be at most ${SUMMARY_MAX_LENGTH} characters)`);
  if (blank(payload.source)) errors.push("'payload.source' is missing or blank");
  if (payload.severity === undefined || payload.severity === '') errors.push("'payload.severity' is missing or blank");
  else if (!oneOf(SEVERITIES, payload.severity))
    errors.push(`'payload.severity' is invalid (must be one of the following: ${listed(SEVERITIES)})`);
  if (
    payload.timestamp !== undefined &&
    (typeof payload.timestamp !== 'string' || Number.isNaN(Date.parse(payload.timestamp)))
  ) {
    errors.push("'payload.timestamp' is invalid (must be an ISO 8601 timestamp)");
  }
  return errors;
}

export function validateEvent(body: unknown): Validation {
  if (!isRecord(body)) return { ok: false, errors: ['Event object is invalid'] };
  const errors: string[] = [];
  const { routing_key: routingKey, event_action: action, dedup_key: dedupKey } = body;
  if (blank(routingKey)) errors.push("'routing_key' is missing or blank");
  else if ((routingKey as string).length !== ROUTING_KEY_LENGTH)
    errors.push(`Length of 'routing_key' is incorrect (should be ${ROUTING_KEY_LENGTH} characters)`);
  if (blank(action)) errors.push("'event_action' is missing or blank");
  else if (!oneOf(EVENT_ACTIONS, action))
    errors.push(`'event_action' is invalid (must be one of the following: ${listed(EVENT_ACTIONS)})`);
  if (dedupKey !== undefined && typeof dedupKey !== 'string') errors.push("'dedup_key' is invalid (must be a string)");
  else if (typeof dedupKey === 'string' && dedupKey.length > DEDUP_KEY_MAX_LENGTH)
    errors.push(`Length of 'dedup_key' is too long (must be at most ${DEDUP_KEY_MAX_LENGTH} characters)`);
  // Acknowledge and resolve name the alert they act on; only a trigger may leave the key to PagerDuty.
  if ((action === 'acknowledge' || action === 'resolve') && blank(dedupKey))
    errors.push("'dedup_key' is missing or blank");
  if (action === 'trigger') errors.push(...payloadErrors(body.payload));
  if (errors.length) return { ok: false, errors };
  const payload = isRecord(body.payload) ? body.payload : {};
  return {
    ok: true,
    event: {
      routingKey: routingKey as string,
      action: action as EventAction,
      dedupKey: blank(dedupKey) ? undefined : (dedupKey as string),
      summary: typeof payload.summary === 'string' ? payload.summary : undefined,
      source: typeof payload.source === 'string' ? payload.source : undefined,
      severity: oneOf(SEVERITIES, payload.severity) ? payload.severity : undefined,
      customDetails: payload.custom_details,
      body,
    },
  };
}
