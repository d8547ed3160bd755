import { z } from 'zod';
import { Duration, Id } from './schema-common.ts';
import { Playbooks } from './schema-playbooks.ts';

export const Rule = z.strictObject({
  id: Id,
  description: z.string().min(1).describe('why the rule exists, in a sentence; shown in the timeline'),
  when: z.string().min(1).describe('CEL condition over incident, service, window, vips and now (docs/rules.md)'),
  then: z.enum(['propose', 'declare']).describe('propose: a candidate for the Major Incident Manager; declare: a major incident at once'),
  enabled: z.boolean().default(true).describe('false keeps the rule checked but never evaluated'),
});

export const Window = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a CEL identifier (lower case, digits, underscores), read as window.<id>.count'),
  description: z.string().optional(),
  filter: z.string().min(1).default('true').describe('CEL condition over incident, service and now: which incidents count'),
  duration: Duration.describe('length of the sliding window'),
  per: z.literal('service').default('service').describe('counted per catalogue service'),
});

export const Tier = z.strictObject({
  ackTimeout: Duration.default('5m').describe('escalate when the page is not acknowledged within this'),
  cadence: Duration.default('30m').describe('interval between updates to audiences'),
  pirDueDays: z.number().int().min(1).default(5).describe('post-incident review due this many days after resolution'),
  autoPost: z.boolean().default(false).describe('post cadence updates automatically (false: remind the comms lead)'),
  maxEscalations: z.number().int().min(0).default(3).describe('escalations before giving up paging and alerting the Major Incident Manager'),
}).meta({ id: 'Tier' });
const TIER_DEFAULTS = { ackTimeout: '5m', cadence: '30m', pirDueDays: 5, autoPost: false, maxEscalations: 3 } as const;

export const RulesFile = z.strictObject({
  evaluation: z.enum(['first-match', 'strongest']).default('first-match').describe('first-match: the first matching rule in file order decides; strongest: declare beats propose across all matches'),
  windows: z.array(Window).default([]),
  rules: z.array(Rule).min(1, 'give at least one rule'),
  reopen: z.strictObject({
    withinMinutes: z.number().int().min(0).default(60).describe('a matching incident this soon after resolution re-opens the major incident; later it starts a new, linked one'),
  }).default({ withinMinutes: 60 }),
  tiers: z.strictObject({
    '1': Tier.default(TIER_DEFAULTS),
    '2': Tier.default(TIER_DEFAULTS),
    '3': Tier.default(TIER_DEFAULTS),
  }).default({ '1': TIER_DEFAULTS, '2': TIER_DEFAULTS, '3': TIER_DEFAULTS }),
  playbooks: Playbooks,
  reconcile: z.strictObject({
    intervalSeconds: z.number().int().min(30).default(300).describe('how often open major incidents are compared with the vendors\' records'),
  }).default({ intervalSeconds: 300 }),
});

export type Rule = z.infer<typeof Rule>;
export type Window = z.infer<typeof Window>;
export type Tier = z.infer<typeof Tier>;
export type RulesFile = z.infer<typeof RulesFile>;
