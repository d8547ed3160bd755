import { z } from 'zod';
import { JiraIssue, JiraIssueFields } from './schema.ts';
import { TransitionFieldMeta } from './outbound-transition-fields.ts';

/**
 * Jira REST v3 answers we read (jira.js ships response schemas too; we check the fields we rely
 * on ourselves so a drift shows up as INVALID_RESPONSE here, not as undefined later).
 */
export const JiraCreated = z.looseObject({ id: z.string().min(1), key: z.string().min(1) });

const StatusCategory = z.looseObject({ key: z.string() });

export const JiraFoundIssues = z.looseObject({
  issues: z.array(
    z.looseObject({
      id: z.string().min(1),
      key: z.string().min(1),
      fields: z
        .looseObject({ status: z.looseObject({ statusCategory: StatusCategory.optional() }).nullish() })
        .nullish(),
    }),
  ),
});

export const JiraIssueStatus = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({ status: z.looseObject({ statusCategory: StatusCategory }) }),
});

export const JiraTransition = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  isAvailable: z.boolean().optional(),
  to: z.looseObject({ name: z.string().optional(), statusCategory: StatusCategory }),
  /** Only with `expand=transitions.fields`: the transition screen's fields by field id. */
  fields: z.record(z.string(), TransitionFieldMeta).optional(),
});
export type JiraTransition = z.infer<typeof JiraTransition>;
export const JiraTransitions = z.looseObject({ transitions: z.array(JiraTransition) });

export const JiraOutboundConfig = z.object({
  /** Site URL including the scheme (jira.js 6 needs it): `https://example.atlassian.net`, `http://127.0.0.1:8081`. */
  baseUrl: z.url(),
  email: z.string().min(1),
  apiToken: z.string().min(1),
  timeoutMs: z.number().int().positive().default(10_000),
});
export type JiraOutboundConfig = z.input<typeof JiraOutboundConfig>;

/**
 * `GET /rest/api/3/issue/{key}` as reconciliation reads it: the webhook's issue shape (the same
 * fields, `updated` made ISO). `description` is not asked for and not read: REST v3 gives it as ADF.
 */
export const JiraReconcileIssue = JiraIssue.extend({
  key: z.string().min(1),
  fields: JiraIssueFields.extend({ description: z.unknown().optional() }).nullish(),
});
export type JiraReconcileIssue = z.infer<typeof JiraReconcileIssue>;
