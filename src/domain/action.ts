import { z } from 'zod';

/** One queue per target system, so a slow or throttled vendor never delays another. */
export const TARGETS = ['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email'] as const;
export const Target = z.enum(TARGETS);
export type Target = z.infer<typeof Target>;

/**
 * BullMQ rejects `:` in queue names (it separates key parts), so the architecture's
 * `actions:jira` is spelled `actions-jira`; the `{mim}` prefix still hash-tags every key.
 */
export const actionQueueName = (target: Target) => `actions-${target}`;

const MajorIncidentId = z.string().regex(/^MI-[A-Za-z0-9-]+$/);

/**
 * What every queued action carries, whatever it does. It names things (major incident id,
 * template, audience, channel, the env var that holds a webhook URL) and never a secret: BullMQ
 * stores job data in clear text, and the worker resolves secrets from its own environment.
 */
const common = {
  majorIncidentId: MajorIncidentId,
  effect: z.string(),
  /** Position in the playbook: two identical steps stay two jobs. */
  step: z.number().int().min(0),
  /** Where inside the target: a Slack channel, an email list, a Teams webhook name. */
  channel: z.string().optional(),
  audience: z.string().optional(),
  /** Which occurrence of the effect (a re-open declares again): part of the job id. */
  round: z.number().int().min(0).default(0),
};

/**
 * The envelope the outbox relay routes and a dead letter keeps: the common fields, any `do` and
 * scalar params. It is read before the job is, so a job this version cannot run still reaches
 * its queue, where the worker dead-letters it (INVALID_JOB) instead of it being lost.
 */
export const ActionEnvelope = z.object({
  ...common,
  do: z.string(),
  target: Target,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type ActionEnvelope = z.infer<typeof ActionEnvelope>;

const Template = z.string().min(1);
const Visibility = z.enum(['public', 'internal']);
/** A comment's text is given (a mirrored comment, a write-back) or rendered from a template (a playbook step). */
const noteParams = { template: Template.optional(), text: z.string().optional(), visibility: Visibility.optional() };

const action = <D extends string, T extends z.ZodType<Target>, P extends z.ZodRawShape>(
  name: D,
  target: T,
  params: P,
) => z.object({ ...common, do: z.literal(name), target, params: z.object(params) });
/** For actions whose params are all optional: a job without `params` parses. */
const optional = <D extends string, T extends z.ZodType<Target>, P extends z.ZodRawShape>(
  name: D,
  target: T,
  params: P,
) =>
  z.object({
    ...common,
    do: z.literal(name),
    target,
    params: z.preprocess((v) => v ?? {}, z.object(params).partial()),
  });

const sn = z.literal('servicenow');
const jira = z.literal('jira');
const pd = z.literal('pagerduty');

/**
 * The job data of an action: one shape per `do`, with its own typed params, so a misspelt or
 * mistyped parameter fails at the producer's type check and at the worker's parse (INVALID_JOB),
 * never inside an executor. Field names and values are those jobs always had: a job queued by an
 * earlier version parses. Params the action does not read are dropped on parse.
 */
export const ActionJob = z.discriminatedUnion('do', [
  optional('servicenow.set_major_state', sn, { value: z.enum(['proposed', 'accepted', 'rejected', 'canceled']) }),
  optional('servicenow.work_note', sn, noteParams),
  optional('servicenow.comment', sn, noteParams),
  optional('servicenow.create_incident', sn, { template: Template }),
  optional('servicenow.resolve', sn, { template: Template, closeCode: z.string().min(1) }),
  // One job per audience (`audience`), whose announcement block says where and how it shows.
  action('servicenow.announce', sn, { template: Template }),
  action('servicenow.retire_announcement', sn, { template: Template }),
  action('servicenow.link_child', sn, { childSysId: z.string(), childNumber: z.string().optional() }),
  action('servicenow.set_priority', sn, {
    priority: z.number().int(),
    impact: z.number().int(),
    urgency: z.number().int(),
  }),
  optional('jira.create_issue', jira, { template: Template }),
  optional('jira.comment', jira, noteParams),
  action('jira.transition', jira, { to: z.string().min(1) }),
  optional('jira.remote_link', jira, {}),
  optional('jira.clear_major_incident', jira, {}),
  optional('jira.create_pir', jira, { template: Template, dueDays: z.number().int().min(1) }),
  action('jira.link_child', jira, { childKey: z.string() }),
  action('jira.set_priority', jira, { priority: z.number().int(), name: z.string(), fieldId: z.string().optional() }),
  optional('pagerduty.trigger', pd, { escalation: z.boolean(), n: z.number().int() }),
  optional('pagerduty.acknowledge', pd, {}),
  optional('pagerduty.resolve', pd, {}),
  optional('notify', z.enum(['slack', 'teams', 'email']), {
    template: Template,
    register: z.enum(['business', 'technical']),
  }),
]);
export type ActionJob = z.infer<typeof ActionJob>;
export type ActionName = ActionJob['do'];
/** The job of one action: `ActionOf<'jira.comment'>`. */
export type ActionOf<D extends ActionName> = Extract<ActionJob, { do: D }>;

export interface LinkResult {
  readonly system: string;
  /** Per-channel links (Slack `ts` per channel) go under a sub-key. */
  readonly sub?: string;
  readonly value: unknown;
}

export interface ActionResult {
  /** Ids to keep on the major incident: `{ system: 'jira', value: { key } }`. */
  readonly links?: readonly LinkResult[];
  /** Records in other systems that now belong to the MI (`jira/10042`): their webhooks are our own echoes. */
  readonly records?: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
  /** The major incident no longer exists (its creation lost a race): nothing to do. */
  readonly orphaned?: boolean;
  /** Actions this one makes possible (link the ServiceNow record it just created): queued through the outbox. */
  readonly followUps?: readonly ActionJob[];
}

/** `firstTry`: no earlier attempt of this job started (a retry, or a re-run after its worker died, is not). */
export type ActionExecutor = (
  job: ActionJob,
  meta: { readonly jobId: string; readonly firstTry?: boolean },
) => Promise<ActionResult>;
