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

export const SlackOutboundConfig = z.object({
  apiUrl: z.url().default('https://slack.com/api'),
  /** Bot token (`xoxb-…`), sent as a bearer token; never logged. */
  token: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type SlackOutboundConfig = z.input<typeof SlackOutboundConfig>;
