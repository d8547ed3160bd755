import { z } from 'zod';
import { INCIDENT_STATES } from '../../domain/incident-event.ts';

const Canonical = z.enum(INCIDENT_STATES);
const Priority = z.number().int().min(1).max(5);
const Row = z.array(Priority).length(3, 'three priorities, for urgency 1, 2 and 3');

/** `resolution`, `customfield_10042` …: a system field's id or a custom field's. */
const JiraFieldId = z
  .string()
  .regex(/^(?:[a-z][A-Za-z]*|customfield_\d+)$/, 'a Jira field id such as resolution or customfield_10042');
const TransitionFields = z
  .record(JiraFieldId, z.unknown())
  .describe(
    'values for fields a transition screen shows, by field id, as Jira takes them in a transition ' +
      '(resolution: { name: Done }); sent only when Jira refuses the transition without them',
  );
const IssueTypeName = z.string().min(1);

/** What mim-bridge needs to know about the Jira site's workflows and Jira Service Management. */
const JiraSite = z.strictObject({
  transitionFields: TransitionFields.default({ resolution: { name: 'Done' } }),
  incidentIssueType: IssueTypeName.default('[System] Incident').describe(
    "issue type of the major incident's issue in a JSM service project (instead of the service's jira.issueType)",
  ),
  majorIncidentField: z
    .string()
    .min(1)
    .nullable()
    .default('Major incident')
    .describe("name of JSM's major-incident field, found through GET /rest/api/3/field; null: never set it"),
  projects: z
    .record(
      z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key (upper case)'),
      z.strictObject({
        incidentIssueType: IssueTypeName.optional().describe("this project's incident issue type"),
        transitionFields: TransitionFields.optional().describe('merged over the site-wide transitionFields'),
      }),
    )
    .default({})
    .describe('per project key: what differs from the site-wide settings'),
});

export const MappingsFile = z.strictObject({
  priority: z.strictObject({
    matrix: z
      .array(Row)
      .length(3, 'three rows, for impact 1, 2 and 3')
      .describe("matrix[impact-1][urgency-1] = priority, as ServiceNow's priority lookup"),
    jira: z.strictObject({
      fieldId: z.string().min(1).default('priority').describe('Jira field id holding the priority'),
      names: z.record(z.string().min(1), Priority).describe('Jira priority name → canonical priority 1..5'),
    }),
  }),
  state: z.strictObject({
    servicenow: z
      .record(z.string().regex(/^\d+$/, 'a ServiceNow state value (digits)'), Canonical)
      .describe('ServiceNow incident state value → canonical state'),
    jira: z.strictObject({
      statusCategory: z
        .strictObject({
          new: Canonical.describe('canonical state of issues in the To Do category'),
          indeterminate: Canonical.describe('canonical state of issues in the In Progress category'),
          done: Canonical.describe('canonical state of issues in the Done category'),
        })
        .describe('Jira status category key → canonical state'),
    }),
  }),
  fields: z
    .array(
      z.strictObject({
        servicenow: z.string().min(1).describe('ServiceNow field id'),
        jira: z.string().min(1).describe('Jira field id'),
        owner: z.enum(['servicenow', 'jira', 'both']).describe("which system's change wins"),
      }),
    )
    .default([])
    .describe('fields kept in sync, by field id, never by value'),
  // Optional rather than defaulted, so mappings built in code need not spell it; left out, the
  // connector applies the same defaults (connectors/jira/outbound-settings.ts).
  jira: JiraSite.optional().describe(
    "Jira workflows' required transition fields, and Jira Service Management's incident type and " +
      'major-incident field; left out, every key takes its default',
  ),
});

export type MappingsFile = z.infer<typeof MappingsFile>;
