import { withTimeout } from '../lib/with-timeout.ts';
import { CONNECTOR_VENDORS, type ConnectorVendor } from './connector-error.ts';
import { checkEmail } from './email/check.ts';
import { checkJira } from './jira/check.ts';
import { checkPagerduty, type PagerdutyRoutingKey } from './pagerduty/check.ts';
import { checkServicenow } from './servicenow/check.ts';
import { failed, type CheckOutcome } from './shared/check.ts';
import { checkSlack } from './slack/check.ts';
import { checkTeams, type TeamsWebhook } from './teams/check.ts';

/**
 * `mim-bridge doctor` and `GET /admin/connections`: one harmless call per configured connection,
 * all at once, each bounded by its own timeout, as a list in CONNECTOR_VENDORS order. Which
 * connections are configured follows the rules the workers use (app/actions-runtime.ts); one
 * with some of its settings only is a failure naming the missing ones, not "not configured".
 */

export type ConnectionStatus = 'ok' | 'failed' | 'not_configured';

export interface ConnectionResult {
  readonly vendor: ConnectorVendor;
  readonly status: ConnectionStatus;
  /** What was checked and seen; never a secret. */
  readonly detail: string;
  readonly fix?: string;
  readonly code?: string;
  readonly durationMs: number;
}

/**
 * The settings the checks read, as config/env.ts names them (an `Env` fits). Structural, so that
 * connectors/ does not import config/ (which imports connectors/ through the templates).
 */
export interface ConnectionSettings {
  readonly SERVICENOW_URL?: string | undefined;
  readonly SERVICENOW_USERNAME?: string | undefined;
  readonly SERVICENOW_PASSWORD?: string | undefined;
  readonly JIRA_URL?: string | undefined;
  readonly JIRA_EMAIL?: string | undefined;
  readonly JIRA_API_TOKEN?: string | undefined;
  readonly JIRA_ACCOUNT_ID?: string | undefined;
  readonly PAGERDUTY_EVENTS_URL?: string | undefined;
  readonly PAGERDUTY_ROUTING_KEY?: string | undefined;
  readonly SLACK_API_URL?: string | undefined;
  readonly SLACK_BOT_TOKEN?: string | undefined;
  readonly TEAMS_WEBHOOK_URL?: string | undefined;
  readonly SMTP_URL?: string | undefined;
  readonly MAIL_FROM?: string | undefined;
}

/** The variables the active config names for routing keys and Teams webhooks (services.yaml, audiences.yaml). */
export interface NamedRoutes {
  readonly services: {
    readonly services: ReadonlyArray<{
      readonly pagerduty?: { readonly routingKeyEnv?: string; readonly escalationRoutingKeyEnv?: string } | undefined;
    }>;
  };
  readonly audiences: {
    readonly audiences: ReadonlyArray<{ readonly channels: { readonly teamsWebhookEnv?: string | undefined } }>;
  };
}

export interface ConnectionsInput {
  readonly env: ConnectionSettings;
  /** The value of a variable config names: config/route-env.ts's routeSecret (MIM_ROUTE_* only). */
  readonly routeSecret: (name: string) => string | undefined;
  /** The active config; without it only the environment's own connections are checked. */
  readonly config?: NamedRoutes;
  /** Per check (default 10 s): a vendor that does not answer is a failure, not a hang. */
  readonly timeoutMs?: number;
}

export const CHECK_TIMEOUT_MS = 10_000;
/** The defaults of config/env.ts, for settings that did not come through parseEnv. */
const PD_EVENTS = 'https://events.pagerduty.com';
const SLACK_API = 'https://slack.com/api';

type Plan = { readonly outcome: CheckOutcome | 'not_configured' } | { readonly run: () => Promise<CheckOutcome> };

/** The settings a connection needs, the missing ones as a failure; 'none' when none of them is set. */
function settings(
  env: ConnectionSettings,
  names: ReadonlyArray<keyof ConnectionSettings>,
): CheckOutcome | 'none' | 'all' {
  const missing = names.filter((n) => !env[n]);
  if (missing.length === names.length) return 'none';
  if (missing.length === 0) return 'all';
  return failed('INCOMPLETE', `${missing.join(', ')} not set`, `set ${missing.join(', ')}`);
}

function pagerdutyKeys(input: ConnectionsInput): PagerdutyRoutingKey[] {
  const names = new Set<string>();
  for (const s of input.config?.services.services ?? []) {
    if (s.pagerduty?.routingKeyEnv) names.add(s.pagerduty.routingKeyEnv);
    if (s.pagerduty?.escalationRoutingKeyEnv) names.add(s.pagerduty.escalationRoutingKeyEnv);
  }
  const keys: PagerdutyRoutingKey[] = [...names].map((name) => ({ name, key: input.routeSecret(name) }));
  const fallback = input.env.PAGERDUTY_ROUTING_KEY;
  return fallback ? [{ name: 'PAGERDUTY_ROUTING_KEY', key: fallback }, ...keys] : keys;
}

function teamsWebhooks(input: ConnectionsInput): TeamsWebhook[] {
  const names = new Set<string>();
  for (const a of input.config?.audiences.audiences ?? [])
    if (a.channels.teamsWebhookEnv) names.add(a.channels.teamsWebhookEnv);
  const hooks: TeamsWebhook[] = [...names].map((name) => ({ name, url: input.routeSecret(name) }));
  const fallback = input.env.TEAMS_WEBHOOK_URL;
  return fallback ? [{ name: 'TEAMS_WEBHOOK_URL', url: fallback }, ...hooks] : hooks;
}

/** What each vendor's check is, decided from the settings alone (pure). */
export function planChecks(input: ConnectionsInput, timeoutMs: number): Record<ConnectorVendor, Plan> {
  const { env } = input;
  const sn = settings(env, ['SERVICENOW_URL', 'SERVICENOW_USERNAME', 'SERVICENOW_PASSWORD']);
  const jira = settings(env, ['JIRA_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN']);
  const email = settings(env, ['SMTP_URL', 'MAIL_FROM']);
  const keys = pagerdutyKeys(input);
  const hooks = teamsWebhooks(input);
  const plan = (s: CheckOutcome | 'none' | 'all', run: () => Promise<CheckOutcome>): Plan =>
    s === 'none' ? { outcome: 'not_configured' } : s === 'all' ? { run } : { outcome: s };
  return {
    servicenow: plan(sn, () =>
      checkServicenow({
        baseUrl: env.SERVICENOW_URL!,
        username: env.SERVICENOW_USERNAME!,
        password: env.SERVICENOW_PASSWORD!,
        timeoutMs,
      }),
    ),
    jira: plan(jira, () =>
      checkJira({
        baseUrl: env.JIRA_URL!,
        email: env.JIRA_EMAIL!,
        apiToken: env.JIRA_API_TOKEN!,
        timeoutMs,
        ...(env.JIRA_ACCOUNT_ID ? { accountId: env.JIRA_ACCOUNT_ID } : {}),
      }),
    ),
    pagerduty: keys.length
      ? {
          run: () => checkPagerduty({ eventsUrl: env.PAGERDUTY_EVENTS_URL ?? PD_EVENTS, routingKeys: keys, timeoutMs }),
        }
      : { outcome: 'not_configured' },
    slack: env.SLACK_BOT_TOKEN
      ? { run: () => checkSlack({ apiUrl: env.SLACK_API_URL ?? SLACK_API, token: env.SLACK_BOT_TOKEN!, timeoutMs }) }
      : { outcome: 'not_configured' },
    teams: hooks.length ? { run: () => checkTeams({ webhooks: hooks, timeoutMs }) } : { outcome: 'not_configured' },
    email: plan(email, () => checkEmail({ smtpUrl: env.SMTP_URL!, timeoutMs })),
  };
}

const timedOut = (ms: number) =>
  failed(
    'TIMEOUT',
    `no answer within ${ms} ms`,
    'check that this host can reach the vendor (firewall, HTTPS_PROXY) and its URL setting',
  );

async function runOne(vendor: ConnectorVendor, plan: Plan, timeoutMs: number): Promise<ConnectionResult> {
  if ('outcome' in plan) {
    if (plan.outcome === 'not_configured')
      return { vendor, status: 'not_configured', detail: 'not configured', durationMs: 0 };
    return { vendor, status: 'failed', ...withoutOk(plan.outcome), durationMs: 0 };
  }
  const started = performance.now();
  // The clients' own timeouts come first; this bounds what they do not (DNS, a proxy that never answers).
  const outcome = await withTimeout(plan.run(), timeoutMs + 1_000, () => new Error('timeout')).catch((err: unknown) =>
    err instanceof Error && err.message === 'timeout'
      ? timedOut(timeoutMs)
      : failed('CHECK_ERROR', 'the check itself failed', `report this: ${(err as Error).name}`),
  );
  const durationMs = Math.round(performance.now() - started);
  return { vendor, status: outcome.ok ? 'ok' : 'failed', ...withoutOk(outcome), durationMs };
}

function withoutOk(outcome: CheckOutcome): Omit<CheckOutcome, 'ok'> {
  const { ok: _ok, ...rest } = outcome;
  return rest;
}

/** Every vendor's check, in parallel; never rejects. */
export async function runChecks(input: ConnectionsInput): Promise<ConnectionResult[]> {
  const timeoutMs = input.timeoutMs ?? CHECK_TIMEOUT_MS;
  const plans = planChecks(input, timeoutMs);
  return Promise.all(CONNECTOR_VENDORS.map((vendor) => runOne(vendor, plans[vendor], timeoutMs)));
}

/** Whether every configured connection passed (`mim-bridge doctor` exits 0). */
export const allPassed = (results: readonly ConnectionResult[]): boolean => results.every((r) => r.status !== 'failed');
