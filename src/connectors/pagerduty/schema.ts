import { z } from 'zod';

/**
 * PagerDuty v3 webhook payloads: `{event: {id, event_type, resource_type, occurred_at, agent, data}}`.
 * https://developer.pagerduty.com/docs/webhooks-overview (event data shapes per type:
 * https://developer.pagerduty.com/docs/webhook-event-data-types)
 */

const nullishString = z.string().nullish();

/**
 * PagerDuty object ids are short (`PGR0VU2`, `Q3JC0QQ8XXXXXX`; event ids 26 characters) and
 * become parts of Redis key names and the delivery id, so longer ones are refused.
 */
const PD_ID_MAX = 64;
const pdId = z.string().max(PD_ID_MAX).nullish();
/** Events API v2: `dedup_key` is at most 255 characters. */
const DEDUP_KEY_MAX = 255;

/** `agent`, `service`, `incident` references: `{id, type, summary, self, html_url}`. */
export const PdReference = z.looseObject({ id: pdId, summary: nullishString, type: nullishString });
export type PdReference = z.infer<typeof PdReference>;

/** Just enough to route: pings and non-incident events are ignored before the full shape is checked. */
export const PdEnvelope = z.looseObject({
  event: z.looseObject({
    /** The event's own id, stable across PagerDuty's retries: the duplicate key. */
    id: z.string().min(1).max(PD_ID_MAX),
    event_type: z.string().min(1),
  }),
});

/**
 * `data` is the incident itself for most incident.* events, and an object pointing at it via
 * `incident` for others (`incident.annotated` carries the note: `{id, type: 'incident_note',
 * content, incident: {id, summary}}`; responder and status-update events likewise).
 */
export const PdIncidentData = z
  .looseObject({
    id: pdId,
    type: nullishString,
    number: z.number().int().nullish(),
    title: nullishString,
    status: nullishString,
    incident_key: z.string().max(DEDUP_KEY_MAX).nullish(),
    urgency: nullishString,
    service: PdReference.nullish(),
    incident: PdReference.nullish(),
    content: nullishString,
  })
  .superRefine((d, ctx) => {
    // A note's own id is not the incident's: when `incident` is there, its id is required.
    if (d.incident && !d.incident.id)
      ctx.addIssue({ code: 'custom', path: ['incident', 'id'], message: 'incident reference without id' });
    if (!d.incident && !d.id) ctx.addIssue({ code: 'custom', path: ['id'], message: 'no incident id' });
  });
export type PdIncidentData = z.infer<typeof PdIncidentData>;

export const PdIncidentWebhook = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1).max(PD_ID_MAX),
    event_type: z.string().min(1),
    resource_type: nullishString,
    occurred_at: z.iso.datetime({ offset: true }),
    agent: PdReference.nullish(),
    data: PdIncidentData,
  }),
});
export type PdIncidentWebhook = z.infer<typeof PdIncidentWebhook>;
