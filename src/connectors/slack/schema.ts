import { z } from 'zod';

/**
 * Slack Web API answers: HTTP 200 with `{"ok": true, ...}` or `{"ok": false, "error": "<code>"}`.
 * https://docs.slack.dev/reference/methods/chat.postMessage
 * https://docs.slack.dev/reference/methods/chat.update
 */
export const SlackAnswer = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
});

export const SlackMessageAnswer = z.looseObject({
  ok: z.literal(true),
  channel: z.string().min(1),
  ts: z.string().min(1),
});

/** https://docs.slack.dev/reference/methods/conversations.list */
export const SlackChannelList = z.looseObject({
  channels: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  response_metadata: z.looseObject({ next_cursor: z.string().optional() }).optional(),
});

/** https://docs.slack.dev/reference/methods/conversations.history (with include_all_metadata). */
export const SlackHistory = z.looseObject({
  messages: z.array(
    z.looseObject({
      ts: z.string(),
      metadata: z
        .looseObject({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
        .optional(),
    }),
  ),
});

export const SlackOutboundConfig = z.object({
  apiUrl: z.url().default('https://slack.com/api'),
  /** Bot token (`xoxb-…`), sent as a bearer token; never logged. */
  token: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type SlackOutboundConfig = z.input<typeof SlackOutboundConfig>;
