import { z } from 'zod';
import { EnvName, Id, Names } from './schema-common.ts';

export const Service = z.strictObject({
  id: Id.describe('stable id used by rules (service.id), the store and the admin API'),
  name: z.string().min(1).describe('display name'),
  tier: z
    .number()
    .int()
    .min(1)
    .max(3)
    .describe('criticality: 1 business critical, 2 important, 3 low; rules read service.tier, tiers set timers'),
  match: z
    .strictObject({
      servicenow: z
        .strictObject({
          businessServices: Names.describe('ServiceNow business_service display names (case-insensitive)'),
          cmdbCis: Names.describe('ServiceNow cmdb_ci names, tried when the business service does not match'),
        })
        .default({ businessServices: [], cmdbCis: [] }),
      jira: z
        .strictObject({
          projects: Names.describe('Jira project keys'),
          components: Names.describe('Jira component names, tried before the project'),
        })
        .default({ projects: [], components: [] }),
    })
    .refine(
      (m) =>
        m.servicenow.businessServices.length +
          m.servicenow.cmdbCis.length +
          m.jira.projects.length +
          m.jira.components.length >
        0,
      'a service must match at least one ServiceNow business service or CI, or a Jira project or component',
    )
    .describe('which records belong to the service: at least one of the four lists must be non-empty'),
  owners: z.strictObject({
    majorIncidentManager: z.string().min(1).describe('who runs its major incidents (email or group)'),
    commsLead: z.string().min(1).describe('who owns communications to its audiences'),
    serviceOwner: z.string().min(1).describe('accountable for the service; told at declaration, owns the PIR'),
    resolverGroup: z.string().min(1).describe('technical team that fixes it (assignment group / on-call team)'),
  }),
  pagerduty: z
    .strictObject({
      routingKeyEnv: EnvName.describe('env var holding the Events API v2 routing key of the service'),
      escalationRoutingKeyEnv: EnvName.optional().describe(
        'env var holding the routing key paged when nobody acknowledges in time',
      ),
      drillRoutingKeyEnv: EnvName.optional().describe(
        "env var holding the routing key an exercise (drill) pages instead of the service's",
      ),
    })
    .optional()
    .describe('without it, pagerduty.* steps use PAGERDUTY_ROUTING_KEY'),
  jira: z
    .strictObject({
      project: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key (upper case)')
        .describe('where technical work for its major incidents is tracked'),
      issueType: z.string().min(1).default('Task').describe('type of that issue'),
    })
    .optional()
    .describe('the Jira project for its major incidents; without it, jira.* steps are skipped'),
  runbook: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .optional()
    .describe('the runbook the technical team follows for this service (an http(s) URL); checked by readiness'),
  audiences: z
    .array(Id)
    .default([])
    .describe('ids from audiences.yaml told about its major incidents (notify audiences: all)'),
  statusPage: z
    .boolean()
    .default(false)
    .describe('show its open major incidents and their public updates on GET /status, /status.json and /status.atom'),
});

export const ServicesFile = z.strictObject({
  services: z.array(Service).min(1, 'the catalogue needs at least one service').describe('the service catalogue'),
  vips: Names.describe(
    'callers whose incidents rules may treat as VIP: `incident.caller in vips` (ServiceNow caller display name, ' +
      'Jira reporter display name)',
  ),
});

export type Service = z.infer<typeof Service>;
export type ServicesFile = z.infer<typeof ServicesFile>;
