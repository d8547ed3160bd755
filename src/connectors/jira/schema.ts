import { z } from 'zod';

/**
 * Jira webhook payloads (REST v2 representation: text is plain strings). Jira sends `null`
 * for empty fields, so everything we read but do not require is `nullish`.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */

/** Latest instant `Date#toISOString` renders as a four-digit year, which IncidentEvent requires. */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const isoUtc = z.iso.datetime();

/** `timestamp`: epoch milliseconds of the event. */
const JiraEpochMs = z
  .number()
  .int()
  .min(0)
  .max(MAX_EPOCH_MS)
  .transform((ms) => new Date(ms).toISOString());

/**
 * `fields.updated` looks like `2019-02-15T19:01:52.971-0800` (no colon in the offset), which zod's ISO check refuses.
 */
const JIRA_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;
const JiraDateTime = z
  .string()
  .transform((text) => {
    // Date.parse alone is lenient (`"1"` is a date); only Jira's shape is converted, the rest fails the pipe.
    const ms = JIRA_DATETIME.test(text) ? Date.parse(text) : Number.NaN;
    return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
  })
  .pipe(isoUtc);

const nullishString = z.string().nullish();

/**
 * Issue, comment and changelog ids are decimal Java longs (at most 19 digits); they become parts
 * of Redis key names and of the delivery id, so longer ones are refused. Length only: Data
 * Center and test sites are not held to digits.
 */
export const JIRA_ID_MAX = 19;
/** A project key (Data Center allows up to 255 characters), a dash and the issue number. */
const ISSUE_KEY_MAX = 255 + 1 + JIRA_ID_MAX;
/** Jira's event names are short (`jira:issue_updated`); the name is part of the delivery id. */
const EVENT_NAME_MAX = 64;
const jiraId = z.string().min(1).max(JIRA_ID_MAX);

/** Cloud identifies users by `accountId`; Data Center by `name`/`key`. */
export const JiraUser = z.looseObject({
  accountId: nullishString,
  name: nullishString,
  key: nullishString,
  displayName: nullishString,
});
export type JiraUser = z.infer<typeof JiraUser>;

const JiraNamed = z.looseObject({ name: nullishString });

export const JiraIssueFields = z.looseObject({
  summary: nullishString,
  description: nullishString,
  priority: JiraNamed.nullish(),
  status: z.looseObject({ statusCategory: z.looseObject({ key: nullishString }).nullish() }).nullish(),
  components: z.array(JiraNamed).nullish(),
  project: z.looseObject({ key: nullishString }).nullish(),
  assignee: JiraUser.nullish(),
  reporter: JiraUser.nullish(),
  updated: JiraDateTime.nullish(),
});

/** Comment events carry a slim issue: `fields` may hold only a few entries. */
export const JiraIssue = z.looseObject({
  id: jiraId,
  key: z.string().max(ISSUE_KEY_MAX).nullish(),
  fields: JiraIssueFields.nullish(),
});

export const JiraComment = z.looseObject({
  id: jiraId.nullish(),
  body: nullishString,
  author: JiraUser.nullish(),
  updateAuthor: JiraUser.nullish(),
  /** Jira Service Management: false for an internal note, true when the customer sees it. */
  jsdPublic: z.boolean().nullish(),
  /** A role or group restriction: `{type: 'role', value: 'Administrators'}`. */
  visibility: z.looseObject({}).nullish(),
});
export type JiraComment = z.infer<typeof JiraComment>;

export const JiraChangelogItem = z.looseObject({
  /** Cloud sends the stable id (`status`, `customfield_10072`); Data Center may send only `field`, the display name. */
  fieldId: nullishString,
  field: nullishString,
});

/** Just enough to route: events we do not handle are ignored before the full shape is checked. */
export const JiraEnvelope = z.looseObject({ webhookEvent: z.string().min(1).max(EVENT_NAME_MAX) });

export const JiraWebhook = z.looseObject({
  webhookEvent: z.string().min(1).max(EVENT_NAME_MAX),
  timestamp: JiraEpochMs.nullish(),
  /** An open set (`issue_generic`, `issue_assigned`, `issue_commented`, custom events …). */
  issue_event_type_name: nullishString,
  user: JiraUser.nullish(),
  issue: JiraIssue,
  /** `id` names the change in the issue's history: with the issue id, the event's own id. */
  changelog: z
    .looseObject({
      id: z.union([jiraId, z.number().int().nonnegative()]).nullish(),
      items: z.array(JiraChangelogItem).nullish(),
    })
    .nullish(),
  comment: JiraComment.nullish(),
});
export type JiraWebhook = z.infer<typeof JiraWebhook>;
