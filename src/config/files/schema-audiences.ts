import { z } from 'zod';
import { DURATION_PATTERN } from '../../lib/duration.ts';
import { EnvName, Id } from './schema-common.ts';

export const REGISTERS = ['business', 'technical'] as const;

/**
 * A ServiceNow reference given in config: a sys_id, or the value people see (a portal's URL suffix,
 * a display style's name) that the connector looks up. No `^`, `=` or line break: it becomes part
 * of an encoded query.
 */
const SnRef = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^^=\r\n]+$/, 'a sys_id or a name without ^, = or line breaks');

export const Announcement = z
  .strictObject({
    portals: z
      .array(SnRef)
      .default([])
      .describe(
        'Service Portals that show it: sp_portal sys_ids or URL suffixes (e.g. "sp", "esc"); empty: every portal',
      ),
    displayStyle: SnRef.optional().describe(
      'announcement_style sys_id or name (the base system has "Normal" and "Urgent"); unset: the instance default',
    ),
    keepAfterResolve: z
      .string()
      .regex(DURATION_PATTERN, 'a duration such as 30m, 2h or 1d')
      .default('2h')
      .describe('how long the final "resolved" announcement stays up after the major incident resolves'),
  })
  .describe(
    'a ServiceNow Service Portal announcement for this audience (servicenow.announce and ' +
      'servicenow.retire_announcement steps): created on declaration, updated, retired on resolution',
  );

export const Audience = z.strictObject({
  id: Id.describe('unique; referenced by services and notify steps'),
  name: z.string().min(1).describe('display name'),
  register: z
    .enum(REGISTERS)
    .describe('business: plain language for business teams and leaders; technical: detail for resolvers'),
  channels: z
    .strictObject({
      slack: z.array(z.string().min(1)).optional().describe('Slack channel ids or #names'),
      teamsWebhookEnv: EnvName.optional().describe('env var holding the Teams incoming-webhook / workflow URL'),
      email: z.array(z.email()).optional().describe('email addresses or lists'),
    })
    .refine(
      (c) => Boolean(c.slack?.length || c.teamsWebhookEnv || c.email?.length),
      'an audience needs at least one channel (slack, teamsWebhookEnv or email)',
    )
    .describe('where they are told; at least one channel is required'),
  announcement: Announcement.optional(),
});

export const AudiencesFile = z.strictObject({
  audiences: z.array(Audience).describe('who is told about major incidents, where, and in which register'),
});

export type Audience = z.infer<typeof Audience>;
export type Announcement = z.infer<typeof Announcement>;
export type AudiencesFile = z.infer<typeof AudiencesFile>;
