import { z } from 'zod';
import type { PageSeverity } from '../capabilities.ts';
import { truncate } from '../shared/markers.ts';
import { singleLine } from '../shared/single-line.ts';

/**
 * PagerDuty Events API v2: `POST /v2/enqueue`, answered 202 `{status, message, dedup_key}`.
 * https://developer.pagerduty.com/docs/events-api-v2-overview
 * https://developer.pagerduty.com/api-reference/368ae3d938c9e-send-an-event-to-pager-duty
 */

/** `payload.summary`: "A brief text summary of the event … Maximum of 1024 characters." */
export const SUMMARY_MAX_LENGTH = 1024;
/** `dedup_key`: "Maximum of 255 characters." */
export const DEDUP_KEY_MAX_LENGTH = 255;
/** Shown in PagerDuty as the sender of the event. */
export const PD_CLIENT = 'mim-bridge';

export type PdEventAction = 'trigger' | 'acknowledge' | 'resolve';

export interface PdTrigger {
  readonly routingKey: string;
  readonly dedupKey: string;
  readonly summary: string;
  readonly source: string;
  readonly severity: PageSeverity;
  readonly customDetails?: Readonly<Record<string, unknown>>;
  readonly links?: readonly { readonly href: string; readonly text: string }[];
  readonly clientUrl?: string;
}

/**
 * Pure: the trigger event's wire shape, summary one line cut to the documented limit. Custom
 * details go as JSON values, which PagerDuty shows as data.
 */
export function triggerEvent(t: PdTrigger) {
  return {
    routing_key: t.routingKey,
    event_action: 'trigger' as const,
    dedup_key: t.dedupKey,
    payload: {
      summary: truncate(singleLine(t.summary), SUMMARY_MAX_LENGTH),
      source: t.source,
      severity: t.severity,
      ...(t.customDetails ? { custom_details: t.customDetails } : {}),
    },
    ...(t.links?.length ? { links: t.links.map((l) => ({ href: l.href, text: l.text })) } : {}),
    client: PD_CLIENT,
    ...(t.clientUrl ? { client_url: t.clientUrl } : {}),
  };
}

/** Pure: acknowledge and resolve carry only the key pair; it must be the trigger's routing key. */
export function followUpEvent(action: Exclude<PdEventAction, 'trigger'>, routingKey: string, dedupKey: string) {
  return { routing_key: routingKey, event_action: action, dedup_key: dedupKey };
}

export const PdEnqueueResponse = z.looseObject({
  status: z.string(),
  dedup_key: z.string().min(1),
  message: z.string().optional(),
});

export const PagerdutyOutboundConfig = z.object({
  eventsUrl: z.url().default('https://events.pagerduty.com'),
  /** Routing (integration) keys by service catalogue name; they stay in config, never in job data. */
  routingKeys: z.record(z.string(), z.string().min(1)).default({}),
  defaultRoutingKey: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type PagerdutyOutboundConfig = z.input<typeof PagerdutyOutboundConfig>;
