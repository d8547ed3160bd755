import { z } from 'zod';
import { EnvName, Id } from './schema-common.ts';

export const REGISTERS = ['business', 'technical'] as const;

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
});

export const AudiencesFile = z.strictObject({
  audiences: z.array(Audience).describe('who is told about major incidents, where, and in which register'),
});

export type Audience = z.infer<typeof Audience>;
export type AudiencesFile = z.infer<typeof AudiencesFile>;
