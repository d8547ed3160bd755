import { z } from 'zod';
import { Id, TemplateName } from './schema-common.ts';

/**
 * Playbook steps: `{ do: <action>, ...params }`. One strict shape per action, so a misspelt
 * parameter is an error at `rules check` rather than a silently ignored line mid-incident.
 */
const step = <A extends string, P extends z.ZodRawShape>(action: A, params: P, description: string) =>
  z.strictObject({ do: z.literal(action), ...params }).describe(description);

const audiences = z
  .union([z.literal('all'), z.array(Id).min(1)])
  .default('all')
  .describe('"all" = the service\'s audiences, or a list of audience ids');

const template = TemplateName.optional().describe('template under templates/<register>/ used for the text');

export const PlaybookStep = z
  .discriminatedUnion('do', [
    step(
      'servicenow.set_major_state',
      {
        value: z
          .enum(['proposed', 'accepted', 'rejected', 'canceled'])
          .default('accepted')
          .describe('the major_incident_state to set'),
      },
      'set major_incident_state on the ServiceNow origin record',
    ),
    step('servicenow.work_note', { template }, 'add a work note (internal) to the ServiceNow record'),
    step(
      'servicenow.comment',
      { template },
      'add an additional comment (visible to the caller) to the ServiceNow record',
    ),
    step(
      'servicenow.create_incident',
      { template },
      'create a ServiceNow incident for a major incident that started in Jira',
    ),
    step(
      'servicenow.resolve',
      { template, closeCode: z.string().min(1).optional().describe('the close code to set on the record') },
      'resolve the ServiceNow record',
    ),
    step(
      'servicenow.announce',
      {
        audiences,
        template: TemplateName.describe('rendered in the business register: templates/business/<template>.liquid'),
      },
      'create or update the Service Portal announcement of each audience that has an `announcement` block',
    ),
    step(
      'servicenow.retire_announcement',
      {
        audiences,
        template: TemplateName.describe('the final message, from templates/business/<template>.liquid'),
      },
      "replace the announcement's text with a final message that stays for the audience's keepAfterResolve",
    ),
    step(
      'jira.create_issue',
      { template },
      "create the Jira issue for the technical work, in the service's jira.project",
    ),
    step('jira.comment', { template }, 'comment on the Jira issue'),
    step(
      'jira.transition',
      { to: z.string().min(1).describe('target status category (new, indeterminate, done) or status name') },
      'move the Jira issue',
    ),
    step('jira.remote_link', {}, 'link the Jira issue and the ServiceNow record to each other'),
    step(
      'jira.clear_major_incident',
      {},
      "clear Jira Service Management's Major incident field on the Jira issue (a project without it: nothing)",
    ),
    step(
      'jira.create_pir',
      { template, dueDays: z.number().int().min(1).optional().describe('days; default: tiers.<tier>.pirDue') },
      'create the post-incident review task',
    ),
    step(
      'pagerduty.trigger',
      { escalation: z.boolean().default(false).describe("page the escalation routing key instead of the service's") },
      "page the service's on-call",
    ),
    step('pagerduty.acknowledge', {}, 'acknowledge the page'),
    step('pagerduty.resolve', {}, 'resolve the page'),
    step(
      'notify',
      {
        audiences,
        template: TemplateName.describe("rendered in each audience's register: templates/<register>/<template>.liquid"),
      },
      'tell audiences on their channels',
    ),
  ])
  .meta({ id: 'PlaybookStep' });

export const ACTIONS = PlaybookStep.options.map((o) => o.shape.do.value);

export const Playbooks = z.strictObject({
  propose: z
    .array(PlaybookStep)
    .default([])
    .describe(
      'when a candidate opens (a rule proposes, or a person proposes in ServiceNow): tell the Major Incident Manager',
    ),
  declare: z.array(PlaybookStep).default([]).describe('on declaration (also when a candidate is accepted)'),
  update: z
    .array(PlaybookStep)
    .default([])
    .describe('at every comms cadence tick and when a resolved major incident re-opens'),
  resolve: z.array(PlaybookStep).default([]).describe('when service is restored'),
  close: z.array(PlaybookStep).default([]).describe('when the major incident is closed (PIR scheduled)'),
  cancel: z
    .array(PlaybookStep)
    .default([])
    .describe('when a candidate or a declared major incident is cancelled (it was not a major incident)'),
});

export type PlaybookStep = z.infer<typeof PlaybookStep>;
export type PlaybookAction = PlaybookStep['do'];
export type Playbooks = z.infer<typeof Playbooks>;
