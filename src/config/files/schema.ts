import { z } from 'zod';

/**
 * The config directory's files, one zod schema each. zod is the single source: TypeScript types,
 * validation messages and the published JSON Schema all come from here.
 */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'give the NAME of an environment variable (upper case), never the secret itself');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30s, 10m, 1h or 2d');
const names = z.array(z.string().min(1)).default([]);

export const Service = z.strictObject({
  id,
  name: z.string().min(1),
  tier: z.number().int().min(1).max(3).describe('1 = business critical, 3 = low'),
  match: z.strictObject({
    servicenow: z.strictObject({ businessServices: names, cmdbCis: names }).default({ businessServices: [], cmdbCis: [] }),
    jira: z.strictObject({ projects: names, components: names }).default({ projects: [], components: [] }),
  }),
  owners: z.strictObject({
    majorIncidentManager: z.string().min(1),
    commsLead: z.string().min(1),
    serviceOwner: z.string().min(1).optional(),
    resolverGroup: z.string().min(1).optional(),
  }),
  pagerduty: z.strictObject({ routingKeyEnv: envName, escalationRoutingKeyEnv: envName.optional() }).optional(),
  jira: z.strictObject({ project: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key'), issueType: z.string().default('Task') }).optional(),
  audiences: z.array(id).default([]),
});

export const ServicesFile = z.strictObject({
  services: z.array(Service).min(1),
  /** Callers whose incidents are treated as VIP by rules (`incident.caller in vips`). */
  vips: names,
});

export const Audience = z.strictObject({
  id,
  name: z.string().min(1),
  register: z.enum(['business', 'technical']),
  channels: z.strictObject({
    slack: z.array(z.string().min(1)).optional(),
    teamsWebhookEnv: envName.optional(),
    email: z.array(z.email()).optional(),
  }),
});
export const AudiencesFile = z.strictObject({ audiences: z.array(Audience) });

export const ACTIONS = [
  'servicenow.set_major_state', 'servicenow.work_note', 'servicenow.comment', 'servicenow.create_incident', 'servicenow.resolve',
  'jira.create_issue', 'jira.comment', 'jira.transition', 'jira.remote_link', 'jira.create_pir',
  'pagerduty.trigger', 'pagerduty.acknowledge', 'pagerduty.resolve', 'notify',
] as const;

export const PlaybookStep = z.looseObject({
  do: z.enum(ACTIONS),
  audiences: z.union([z.literal('all'), z.array(id)]).optional(),
  template: z.string().regex(/^[a-z0-9-]+$/).optional(),
});

export const Rule = z.strictObject({
  id,
  description: z.string().min(1),
  when: z.string().min(1).describe('a CEL expression over incident, service, window, vips and now'),
  then: z.enum(['propose', 'declare']),
  enabled: z.boolean().default(true),
});

export const Window = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a CEL identifier: lower case, digits, underscores'),
  description: z.string().optional(),
  filter: z.string().min(1).default('true'),
  duration,
  per: z.literal('service').default('service'),
});

export const Tier = z.strictObject({
  ackTimeout: duration.default('5m'),
  cadence: duration.default('30m'),
  pirDueDays: z.number().int().min(1).default(5),
  autoPost: z.boolean().default(false),
  maxEscalations: z.number().int().min(0).default(3),
});

export const RulesFile = z.strictObject({
  evaluation: z.enum(['first-match', 'strongest']).default('first-match'),
  windows: z.array(Window).default([]),
  rules: z.array(Rule).min(1),
  reopen: z.strictObject({ withinMinutes: z.number().int().min(0).default(60) }).default({ withinMinutes: 60 }),
  tiers: z.partialRecord(z.enum(['1', '2', '3']), Tier).default({}),
  playbooks: z.strictObject({
    declare: z.array(PlaybookStep).default([]),
    update: z.array(PlaybookStep).default([]),
    resolve: z.array(PlaybookStep).default([]),
    close: z.array(PlaybookStep).default([]),
  }),
  reconcile: z.strictObject({ intervalSeconds: z.number().int().min(30).default(300) }).default({ intervalSeconds: 300 }),
});

const canonical = z.enum(['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'canceled']);
const prio = z.number().int().min(1).max(5);
export const MappingsFile = z.strictObject({
  priority: z.strictObject({
    /** matrix[impact-1][urgency-1] = priority, as ServiceNow's default lookup. */
    matrix: z.array(z.array(prio).length(3)).length(3),
    jira: z.strictObject({ fieldId: z.string().default('priority'), names: z.record(z.string(), prio) }),
  }),
  state: z.strictObject({
    servicenow: z.record(z.string().regex(/^\d+$/), canonical),
    jira: z.strictObject({ statusCategory: z.strictObject({ new: canonical, indeterminate: canonical, done: canonical }) }),
  }),
  fields: z.array(z.strictObject({ servicenow: z.string(), jira: z.string(), owner: z.enum(['servicenow', 'jira', 'both']) })).default([]),
});

export const CONFIG_FILES = {
  'services.yaml': ServicesFile,
  'audiences.yaml': AudiencesFile,
  'rules.yaml': RulesFile,
  'mappings.yaml': MappingsFile,
} as const;
export type ConfigFileName = keyof typeof CONFIG_FILES;

export type ServicesFile = z.infer<typeof ServicesFile>;
export type Service = z.infer<typeof Service>;
export type AudiencesFile = z.infer<typeof AudiencesFile>;
export type RulesFile = z.infer<typeof RulesFile>;
export type Rule = z.infer<typeof Rule>;
export type MappingsFile = z.infer<typeof MappingsFile>;
export type PlaybookStep = z.infer<typeof PlaybookStep>;
