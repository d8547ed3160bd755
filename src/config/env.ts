import { z } from 'zod';
import { AdminTokenList } from './admin-tokens.ts';
import { lowerCaseProxyProblem, PROXY_ENV } from './env-proxy.ts';
import { REDIS_ENV, redisEnvProblem } from './env-redis.ts';

/**
 * The process environment, parsed once at start-up (after t3-env): empty strings count as
 * unset, every setting has a documented default, and a bad value stops start-up with one
 * message naming the variable. The result is frozen and injected; nothing else reads process.env.
 */

const optionalString = z.string().min(1).optional();
const url = (fallback?: string) => (fallback ? z.url().default(fallback) : z.url().optional());

/**
 * Shared secrets and plain admin tokens are chosen by the operator, and a short one can be guessed:
 * a webhook secret offline from one signed delivery, a token online. 16 characters is the floor,
 * not a target (`openssl rand -hex 32` gives 64).
 */
export const MIN_SECRET_LENGTH = 16;
const TOO_SHORT = `must be at least ${MIN_SECRET_LENGTH} characters (make one with: openssl rand -hex 32)`;

/** A secret may hold two comma-separated values during rotation; both are accepted, and each must be long enough. */
const secretList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().min(MIN_SECRET_LENGTH, `each comma-separated secret ${TOO_SHORT}`))
      .max(2, 'give at most two comma-separated secrets (old,new) during rotation'),
  );

const port = z.coerce.number().int().min(0).max(65535);

export const EnvSchema = z.object({
  PORT: port
    .default(8080)
    .describe('HTTP listener port; 0 takes a free port, given as `url` in the "mim-bridge listening" log line'),
  HOST: z.string().default('0.0.0.0').describe('HTTP listener address'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379')
    .describe(
      'Redis, a single node or a proxy endpoint (`redis://` or `rediss://` for TLS; user and password in the ' +
        'URL; database as the path); the only infrastructure. It must run with maxmemory-policy noeviction. With ' +
        "REDIS_SENTINELS or REDIS_CLUSTER_NODES only its user, password, TLS and database are used (the data nodes')",
    ),
  ...REDIS_ENV,
  /** Key prefix for every Redis key and BullMQ queue; the braces make it a Redis Cluster hash tag. */
  MIM_REDIS_PREFIX: z
    .string()
    .regex(/^\{[A-Za-z0-9_.-]+\}$/, 'must be a hash tag like {mim}')
    .default('{mim}')
    .describe(
      'prefix of every Redis key and BullMQ queue; the braces make it a Redis Cluster hash tag, so all keys ' +
        'share one slot',
    ),
  MIM_ROLE: z
    .enum(['web', 'worker', 'all'])
    .default('all')
    .describe(
      'web: HTTP intake, admin API, /metrics and the readiness canary; worker: the queue consumers (events, ' +
        'actions, timers, reconciliation, the outbox relay); all: both. Any number of each may share one Redis',
    ),
  MIM_CONFIG_DIR: z
    .string()
    .default('./config')
    .describe('directory with services.yaml, audiences.yaml, rules.yaml, mappings.yaml and templates/'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level of the JSON lines on stdout'),
  MIM_DEDUP_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(72, 'duplicates must be recognised for at least 72 hours')
    .default(72)
    .describe('how long a delivery id is remembered to answer redeliveries `duplicate` (at least 72)'),
  /**
   * The intake's bound on Redis. A closed connection is answered 503 at once whatever this says,
   * and so, after 40 ms, is a Redis that is gone though its connections are still open (SIGKILLed
   * during an AOF rewrite, whose forked child holds them; queue/redis-gone.ts). What is left for
   * this bound is a Redis that is there but does not answer: stalled, or a network that went quiet.
   */
  MIM_INTAKE_REDIS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(20, 'give at least 20 ms: a healthy Redis under load takes a few')
    .max(10_000)
    .default(1_000)
    .describe(
      'how long a webhook waits for Redis before it is answered 503 with Retry-After (a write that lands late is ' +
        'kept, and a retry of it is answered duplicate; one that never lands relies on the sender retrying, for ' +
        'ServiceNow on the reconciliation sweep). The connection closing is answered 503 at once, and so, after ' +
        '40–60 ms, is a Redis that is gone with its connections still open (SIGKILLed during an AOF rewrite: the ' +
        'connection silent and a fresh one refused); this bounds a Redis that is there but silent (stalled, a ' +
        'half-open connection). Lower it only if such a Redis must be answered faster, at the cost of 503s ' +
        'whenever Redis pauses that long (a slow fsync, a fork)',
    ),
  MIM_HTTP_KEEPALIVE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(2_000, 'give at least 2000 ms: a client reuses a connection only for the advertised seconds less one')
    .max(3_600_000, 'give at most 3600000 ms (an hour)')
    .default(65_000)
    .describe(
      "how long an idle keep-alive HTTP connection is kept open (Node's own default is 5 s). Set it above the " +
        'idle timeout of the load balancer or proxy in front (AWS ALB 60 s, Google Cloud 600 s), so that the ' +
        'balancer closes idle connections first: otherwise it sometimes sends a webhook down a connection ' +
        'mim-bridge is closing, and the sender gets a 502',
    ),
  MIM_EVENTS_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    // 32, not 8: with more events in flight the worker and Redis each read and write several commands per system
    // call; measured 30 % less CPU per event in both (docs/benchmarks.md#levers-tried-in-this-round).
    .default(32)
    .describe('events handled at once per worker process'),
  MIM_SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(25_000)
    .describe('how long a graceful shutdown (SIGTERM) may take before the process exits anyway'),
  /**
   * How long a worker's lock on a job lasts, and how often stalled jobs (their worker died) are
   * looked for: a job whose worker was killed runs again within about twice the interval.
   */
  MIM_WORKER_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe("how long a worker's lock on a job lasts; a job whose worker died runs again after it lapses"),
  MIM_WORKER_STALLED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe("how often workers look for stalled jobs (a dead worker's job re-runs within about lock + interval)"),
  MIM_ADMIN_TOKEN: z
    .string()
    .min(MIN_SECRET_LENGTH, TOO_SHORT)
    .optional()
    .describe(
      'a plain bearer token for /admin with the admin role (a single-operator set-up), at least ' +
        `${MIN_SECRET_LENGTH} characters; unset with no MIM_ADMIN_TOKENS: the admin API refuses every request`,
    ),
  /** Hashed tokens with roles: `name:role:sha256:<hex>,…` (http/admin/tokens.ts). */
  MIM_ADMIN_TOKENS: AdminTokenList.describe(
    'hashed admin tokens with roles, `name:role:sha256:<64 hex>,…` (roles viewer, operator, admin; hash with ' +
      '`printf %s "$TOKEN" | sha256sum`)',
  ),
  /**
   * Admin API calls per minute per token name, and failed authentications per minute per address
   * (http/admin/rate-limits.ts).
   */
  MIM_ADMIN_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .describe(
      'admin API calls per minute per token name, and failed authentications per minute per client address ' +
        '(counted apart, so failures never refuse a valid token); 429 past either',
    ),
  MIM_ADMIN_COOKIE_INSECURE: z
    .stringbool()
    .default(false)
    .describe(
      'plain-HTTP development only: `true` sends the admin session cookie without Secure, named ' +
        'mim_admin_session instead of __Host-mim_admin_session (a browser keeps a Secure cookie only from HTTPS or ' +
        'localhost). Leave it unset whenever users reach mim-bridge over HTTPS, through a proxy or not',
    ),

  SERVICENOW_URL: url().describe('ServiceNow instance, e.g. https://example.service-now.com'),
  SERVICENOW_USERNAME: optionalString.describe(
    'the integration user (basic auth); its own changes coming back are recognised as echoes',
  ),
  SERVICENOW_PASSWORD: optionalString.describe("the integration user's password"),
  SERVICENOW_WEBHOOK_SECRET: secretList.describe(
    'verifies X-MIM-Signature on /webhooks/servicenow, at least 16 characters; `old,new` (two comma-separated ' +
      'values) during a rotation',
  ),

  JIRA_URL: url().describe('Jira Cloud site, e.g. https://example.atlassian.net'),
  JIRA_EMAIL: optionalString.describe("the integration account's email address"),
  JIRA_API_TOKEN: optionalString.describe("the integration account's API token"),
  JIRA_WEBHOOK_SECRET: secretList.describe(
    'verifies X-Hub-Signature on /webhooks/jira, at least 16 characters; `old,new` during a rotation',
  ),
  /** The integration account's Jira account id: its changes are our own echoes. */
  JIRA_ACCOUNT_ID: optionalString.describe(
    "the integration account's Jira account id: changes it authored are our own echoes, not acted on",
  ),

  PAGERDUTY_EVENTS_URL: url('https://events.pagerduty.com').describe('PagerDuty Events API v2 base URL'),
  PAGERDUTY_WEB_URL: url().describe(
    "the PagerDuty account's web address (https://<account>.pagerduty.com), for links to incidents in the admin " +
      'console',
  ),
  PAGERDUTY_ROUTING_KEY: optionalString.describe(
    'default Events API v2 routing key, for services without pagerduty.routingKeyEnv',
  ),
  PAGERDUTY_WEBHOOK_SECRET: secretList.describe(
    'verifies X-PagerDuty-Signature on /webhooks/pagerduty, at least 16 characters; `old,new` during a rotation',
  ),

  SLACK_API_URL: url('https://slack.com/api').describe('Slack Web API base URL'),
  SLACK_BOT_TOKEN: optionalString.describe('Slack bot token (xoxb-…) with chat:write'),
  TEAMS_WEBHOOK_URL: url().describe(
    'default Teams Workflows URL, used for audiences whose MIM_ROUTE_* variable is unset (the URL itself is ' +
      'the credential)',
  ),
  SMTP_URL: optionalString.describe(
    'SMTP server, e.g. smtp://user:pass@smtp.example.com:587 (smtps:// for implicit TLS); with MAIL_FROM, ' +
      'enables email',
  ),
  MAIL_FROM: optionalString.describe('sender address of emails, e.g. Major Incidents <mim@example.com>'),

  ...PROXY_ENV,
});
export type Env = Readonly<z.infer<typeof EnvSchema>>;

export class EnvError extends Error {
  readonly code = 'ENV_INVALID';
  readonly variables: readonly string[];
  constructor(message: string, variables: readonly string[]) {
    super(message);
    this.name = 'EnvError';
    this.variables = variables;
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v.trim() !== '') cleaned[k] = v;
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const names = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? '(env)')))];
    // Values are never echoed: a mistyped variable may be a secret. Both halves of a rotation can fail alike: one line.
    const lines = [...new Set(result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`))];
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`, names);
  }
  const redis = redisEnvProblem(result.data);
  if (redis) throw new EnvError(`Invalid environment:\n  ${redis.message}`, redis.variables);
  const lowerCase = lowerCaseProxyProblem(cleaned);
  if (lowerCase) throw new EnvError(`Invalid environment:\n  ${lowerCase.message}`, [lowerCase.variable]);
  return Object.freeze(result.data);
}

/** The secrets each webhook source verifies with. */
export function webhookSecrets(env: Env) {
  return {
    servicenow: env.SERVICENOW_WEBHOOK_SECRET,
    jira: env.JIRA_WEBHOOK_SECRET,
    pagerduty: env.PAGERDUTY_WEBHOOK_SECRET,
  } as const;
}
