import { z } from 'zod';
import { AdminTokenList } from './admin-tokens.ts';

/**
 * The process environment, parsed once at start-up (after t3-env): empty strings count as
 * unset, every setting has a documented default, and a bad value stops start-up with one
 * message naming the variable. The result is frozen and injected; nothing else reads process.env.
 */

const optionalString = z.string().min(1).optional();
const url = (fallback?: string) => (fallback ? z.url().default(fallback) : z.url().optional());

/** A secret may hold two comma-separated values during rotation; both are accepted. */
const secretList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string()).max(2, 'give at most two comma-separated secrets (old,new) during rotation'));

const port = z.coerce.number().int().min(0).max(65535);

export const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
  /** Key prefix for every Redis key and BullMQ queue; the braces make it a Redis Cluster hash tag. */
  MIM_REDIS_PREFIX: z.string().regex(/^\{[A-Za-z0-9_.-]+\}$/, 'must be a hash tag like {mim}').default('{mim}'),
  MIM_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  MIM_CONFIG_DIR: z.string().default('./config'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIM_DEDUP_TTL_HOURS: z.coerce.number().int().min(72, 'duplicates must be recognised for at least 72 hours').default(72),
  MIM_EVENTS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  MIM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  /**
   * How long a worker's lock on a job lasts, and how often stalled jobs (their worker died) are
   * looked for: a job whose worker was killed runs again within about twice the interval.
   */
  MIM_WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  MIM_WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  MIM_ADMIN_TOKEN: optionalString,
  /** Hashed tokens with roles: `name:role:sha256:<hex>,…` (http/admin/tokens.ts). */
  MIM_ADMIN_TOKENS: AdminTokenList,
  /** Admin API requests per minute per token (or per address before authentication). */
  MIM_ADMIN_RATE_LIMIT: z.coerce.number().int().min(1).default(300),

  SERVICENOW_URL: url(),
  SERVICENOW_USERNAME: optionalString,
  SERVICENOW_PASSWORD: optionalString,
  SERVICENOW_WEBHOOK_SECRET: secretList,

  JIRA_URL: url(),
  JIRA_EMAIL: optionalString,
  JIRA_API_TOKEN: optionalString,
  JIRA_WEBHOOK_SECRET: secretList,
  /** The integration account's Jira account id: its changes are our own echoes. */
  JIRA_ACCOUNT_ID: optionalString,

  PAGERDUTY_EVENTS_URL: url('https://events.pagerduty.com'),
  PAGERDUTY_ROUTING_KEY: optionalString,
  PAGERDUTY_WEBHOOK_SECRET: secretList,

  SLACK_API_URL: url('https://slack.com/api'),
  SLACK_BOT_TOKEN: optionalString,
  TEAMS_WEBHOOK_URL: url(),
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
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
    const names = result.error.issues.map((i) => String(i.path[0] ?? '(env)'));
    // Values are never echoed: a mistyped variable may be a secret.
    const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`, names);
  }
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
