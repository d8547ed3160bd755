import { z } from 'zod';
import type { Target } from '../../domain/action.ts';
import { DURATION_PATTERN, durationMs } from '../../lib/duration.ts';
import { Duration, Id } from './schema-common.ts';
import { Playbooks } from './schema-playbooks.ts';

export const Rule = z.strictObject({
  id: Id.describe('unique; named on the timeline and in explanations'),
  description: z.string().min(1).describe('why the rule exists, in a sentence; shown in the timeline'),
  when: z.string().min(1).describe('CEL condition over incident, service, window, vips and now (docs/rules.md)'),
  then: z
    .enum(['propose', 'declare'])
    .describe('propose: a candidate for the Major Incident Manager; declare: a major incident at once'),
  enabled: z.boolean().default(true).describe('false keeps the rule checked but never evaluated'),
});

export const Window = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'a CEL identifier (lower case, digits, underscores), read as window.<id>.count')
    .describe('unique; rules read window.<id>.count and window.<id>.distinctCallers'),
  description: z.string().optional().describe('for people'),
  filter: z
    .string()
    .min(1)
    .default('true')
    .describe('CEL condition over incident, service and now: which incidents count'),
  duration: Duration.describe('length of the sliding window'),
  per: z.literal('service').default('service').describe('counted per catalogue service'),
});

/** Milliseconds of a duration, or NaN when it is not one (zod runs refinements after a failed pattern too). */
const msOf = (d: string) => (DURATION_PATTERN.test(d) ? durationMs(d) : Number.NaN);

/** A duration of at least `min` (ms); the message names the minimum the way it is written. */
const DurationAtLeast = (min: number, written: string) =>
  Duration.refine((d) => !DURATION_PATTERN.test(d) || msOf(d) >= min, `must be at least ${written}`);

/** A duration from `min` to `max` (ms), both named in the message the way they are written. */
const DurationBetween = (min: number, max: number, written: string) =>
  Duration.refine((d) => !DURATION_PATTERN.test(d) || (msOf(d) >= min && msOf(d) <= max), `must be from ${written}`);

const PIR_DUE_DEFAULT_DAYS = 5;
const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * The process targets are the organisation's (docs/process.md#targets). A second is the floor: the demo and the
 * timer tests run a 1-5 s cadence, and below that every tick would be another update round. A day is the ceiling
 * of the in-incident targets (a longer one never fires during an outage); 90 days that of the PIR, inside the
 * 120 days the timers sweep looks back (process/timers-sync.ts TIMERS_LOOKBACK_MS).
 */
const target = (what: string) => DurationBetween(SECOND, DAY, '1s to 24h').describe(what);

export const Tier = z
  .strictObject({
    ackTimeout: target(
      'the acknowledge target: escalate when the page is not acknowledged within this (1s to 24h)',
    ).default('5m'),
    mobilise: target(
      'the mobilise target: the mobilisation checklist is checked this long after declaration, and the Major ' +
        'Incident Manager told what is unmet (1s to 24h)',
    ).default('15m'),
    firstComms: target(
      'the first-communication target: the first message to the audiences is due within this of declaration; ' +
        'shown by readiness and scored by drills (1s to 24h)',
    ).default('15m'),
    cadence: target('interval between updates to audiences (1s to 24h)').default('30m'),
    // Optional rather than defaulted, so that the deprecated pirDueDays can still say it; the transform below fills it.
    pirDue: DurationBetween(HOUR, 90 * DAY, '1h to 90d')
      .optional()
      .describe('post-incident review due this long after resolution, e.g. 12h or 5d (1h to 90d; default 5d)'),
    pirDueDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .optional()
      .meta({ deprecated: true })
      .describe('deprecated: use pirDue (pirDueDays: 5 is pirDue: 5d)'),
    autoPost: z.boolean().default(false).describe('post cadence updates automatically (false: remind the comms lead)'),
    maxEscalations: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe('escalations before giving up paging and alerting the Major Incident Manager'),
    // Optional rather than defaulted, so a tier read back lists only what its file says; the
    // runtime applies DEFAULT_DECLARED_PRIORITY.
    priority: z
      .number()
      .int()
      .min(1)
      .max(5)
      .optional()
      .describe(
        'priority (1 highest, default 1) of a declared major incident on a service of this tier, whatever its ' +
          "origin's; a child of higher priority raises it",
      ),
  })
  .refine((t) => t.pirDue === undefined || t.pirDueDays === undefined, {
    path: ['pirDueDays'],
    message: 'give pirDue or the deprecated pirDueDays, not both (pirDueDays: 5 is pirDue: 5d)',
  })
  // Existing files keep loading: pirDueDays becomes pirDue, so nothing past the schema reads days.
  .transform(({ pirDueDays, pirDue, ...rest }) => ({
    ...rest,
    pirDue: pirDue ?? `${pirDueDays ?? PIR_DUE_DEFAULT_DAYS}d`,
  }))
  .meta({ id: 'Tier' });
const TIER_DEFAULTS = {
  ackTimeout: '5m',
  mobilise: '15m',
  firstComms: '15m',
  cadence: '30m',
  pirDue: '5d',
  autoPost: false,
  maxEscalations: 3,
} as const;
/** A declared major incident is a P1 unless its tier says otherwise (`tiers.<n>.priority`). */
export const DEFAULT_DECLARED_PRIORITY = 1;

const RETRY_DEFAULTS = { base: '1s', cap: '10m', horizon: '24h' } as const;

export const ActionRetry = z
  .strictObject({
    base: DurationAtLeast(100, '100ms')
      .default(RETRY_DEFAULTS.base)
      .describe('first retry delay; it doubles per attempt, with full jitter, never below half of it'),
    cap: DurationAtLeast(100, '100ms').default(RETRY_DEFAULTS.cap).describe('longest delay between two attempts'),
    horizon: DurationAtLeast(60_000, '1m')
      .default(RETRY_DEFAULTS.horizon)
      .describe(
        'after this long since the first attempt an action goes to the dead-letter list; keep it at least 24h in ' +
          'production',
      ),
  })
  .refine((r) => !(msOf(r.cap) < msOf(r.base)), { path: ['cap'], message: 'must be at least base' })
  .meta({ id: 'ActionRetry' });

export const RateLimit = z
  .strictObject({
    max: z.number().int().min(1).describe('at most this many jobs of the target start per `per`'),
    per: DurationAtLeast(1, '1ms').describe('the window `max` counts in'),
  })
  .meta({ id: 'RateLimit' });

/**
 * Below the vendors' documented limits (docs/connectors.md gives each vendor's), and
 * equal to DEFAULT_RATE_LIMITS in src/queue/actions/action-queues.ts (a unit test keeps them so):
 * PagerDuty Events API v2 about 120 events/min per routing key; Slack about 1 message/s per
 * channel: this is the ceiling for all channels together, and each channel is also held to 1/s
 * (CHANNEL_LIMITS in src/queue/actions/channel-gate.ts); Teams about 4 requests/s per
 * webhook; Jira Cloud and ServiceNow limits are per instance (ServiceNow: instance rate-limit
 * rules), so 10/s is a tunable starting point. 429s with Retry-After pause the queue on top.
 */
const RATE_LIMIT_DEFAULTS = {
  servicenow: { max: 10, per: '1s' },
  jira: { max: 10, per: '1s' },
  pagerduty: { max: 100, per: '1m' },
  slack: { max: 5, per: '1s' },
  teams: { max: 3, per: '1s' },
  email: { max: 5, per: '1s' },
} as const satisfies Record<Target, { max: number; per: string }>;

const rateLimit = (target: Target, vendor: string) =>
  RateLimit.default(RATE_LIMIT_DEFAULTS[target]).describe(
    `jobs per window for ${vendor} (default ${RATE_LIMIT_DEFAULTS[target].max} per ${RATE_LIMIT_DEFAULTS[target].per})`,
  );

export const ActionsSettings = z
  .strictObject({
    retry: ActionRetry.default(RETRY_DEFAULTS).describe(
      'backoff and retry horizon of every outbound action; read when the workers start',
    ),
    rateLimits: z
      .strictObject({
        servicenow: rateLimit('servicenow', 'ServiceNow'),
        jira: rateLimit('jira', 'Jira'),
        pagerduty: rateLimit('pagerduty', 'PagerDuty'),
        slack: rateLimit('slack', 'Slack (all channels together)'),
        teams: rateLimit('teams', 'Teams'),
        email: rateLimit('email', 'email'),
      })
      .default(RATE_LIMIT_DEFAULTS)
      .describe(
        'per-target rate limits of the action queues: the count is shared by every worker of a target (kept in ' +
          'Redis), the limit is read when a worker starts',
      ),
  })
  .meta({ id: 'ActionsSettings' });

export const RulesFile = z.strictObject({
  evaluation: z
    .enum(['first-match', 'strongest'])
    .default('first-match')
    .describe(
      'first-match: the first matching rule in file order decides; strongest: declare beats propose across all matches',
    ),
  windows: z.array(Window).default([]).describe('counted sliding windows, for storms'),
  rules: z.array(Rule).min(1, 'give at least one rule').describe('the rules, in precedence order for first-match'),
  reopen: z
    .strictObject({
      withinMinutes: z
        .number()
        .int()
        .min(0)
        .default(60)
        .describe(
          'a matching incident this soon after resolution re-opens the major incident; later it starts a new, ' +
            'linked one',
        ),
    })
    .default({ withinMinutes: 60 }),
  tiers: z
    .strictObject({
      '1': Tier.default(TIER_DEFAULTS),
      '2': Tier.default(TIER_DEFAULTS),
      '3': Tier.default(TIER_DEFAULTS),
    })
    .default({ '1': TIER_DEFAULTS, '2': TIER_DEFAULTS, '3': TIER_DEFAULTS }),
  playbooks: Playbooks,
  reconcile: z
    .strictObject({
      intervalSeconds: z
        .number()
        .int()
        .min(30)
        .default(300)
        .describe("how often open major incidents are compared with the vendors' records"),
    })
    .default({ intervalSeconds: 300 }),
  drills: z
    .strictObject({
      prefix: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[^\r\n]+$/, 'one line')
        .default('[EXERCISE]')
        .describe('put before the title of every message, page and ticket of an exercise major incident'),
      maxAge: DurationBetween(DAY, 730 * DAY, '1d to 730d')
        .default('180d')
        .describe("readiness marks a service's drill check ✗ when its last drill is older than this (1d to 730d)"),
    })
    .default({ prefix: '[EXERCISE]', maxAge: '180d' })
    .describe(
      'exercise major incidents (mim-bridge drill): how their messages and tickets are marked, and how old a ' +
        "service's last drill may be",
    ),
  actions: ActionsSettings.default({ retry: RETRY_DEFAULTS, rateLimits: RATE_LIMIT_DEFAULTS }).describe(
    'retry policy and rate limits of the outbound actions; changes apply when the action workers (re)start',
  ),
});

export type Rule = z.infer<typeof Rule>;
export type Window = z.infer<typeof Window>;
export type Tier = z.infer<typeof Tier>;
export type RulesFile = z.infer<typeof RulesFile>;
export type ActionsSettings = z.infer<typeof ActionsSettings>;
