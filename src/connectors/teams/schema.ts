import { z } from 'zod';

export const TeamsOutboundConfig = z.object({
  /**
   * Incoming webhook / Workflow URLs by name (audience channels in audiences.yaml). The URL
   * holds its own signature, so it is a secret: jobs carry the name, never the URL.
   */
  webhooks: z.record(z.string(), z.url()).default({}),
  /** `TEAMS_WEBHOOK_URL`: used for a name whose variable is not set (`webhooks` lacks it). */
  defaultWebhook: z.url().optional(),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type TeamsOutboundConfig = z.input<typeof TeamsOutboundConfig>;
