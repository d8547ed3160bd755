import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createEmailSim, type EmailSim } from './email/index.ts';
import { createJiraSim, type JiraSim } from './jira/index.ts';
import { createPagerdutySim, type PagerdutySim } from './pagerduty/index.ts';
import { REPO_ROOT } from './run-service.ts';
import { createServicenowSim, type ServicenowSim } from './servicenow/index.ts';
import { createSlackSim, type SlackSim } from './slack/index.ts';
import { createTeamsSim, type TeamsSim } from './teams/index.ts';

/**
 * Every simulator on its own loopback port (port 0: each takes what the OS gives), wired to one
 * mim-bridge: the environment to start it with (URLs, the credentials the simulators accept, the
 * webhook secrets) and, once mim-bridge listens, its intake as the target of every simulator
 * that sends webhooks (`connect`: mim-bridge binds port 0 too, so its URL is known only then,
 * and is new after a restart). The catalogue the
 * simulators know (ServiceNow references, Jira projects, Slack channels, Teams webhooks,
 * PagerDuty routing keys) is read from the config mim-bridge runs with.
 */

export interface Sandbox {
  readonly servicenow: ServicenowSim;
  readonly jira: JiraSim;
  readonly pagerduty: PagerdutySim;
  readonly slack: SlackSim;
  readonly teams: TeamsSim;
  readonly email: EmailSim;
  /** Base URL of each simulator. */
  readonly urls: Readonly<Record<'servicenow' | 'jira' | 'pagerduty' | 'slack' | 'teams' | 'email', string>>;
  /**
   * Points every simulator's webhooks at mim-bridge's base URL, again after it restarts on a new
   * port; deliveries still being retried follow. Until then the simulators send no webhooks.
   */
  connect(bridgeUrl: string): void;
  /** The base URL the webhooks go to (the last `connect`), if any. */
  bridgeUrl(): string | undefined;
  /** mim-bridge's environment for this sandbox (no PORT: it binds port 0 unless told otherwise). */
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<'servicenow' | 'jira' | 'pagerduty', string>>;
  /** PagerDuty routing key by the env var name services.yaml gives. */
  readonly routingKeys: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** The config mim-bridge runs with; default `<repo>/config`. */
  readonly configDir?: string;
  /**
   * ServiceNow: also send webhooks for the integration user's own writes (the echo case; the
   * shipped business rule skips them). Default true, so echo suppression is exercised.
   */
  readonly servicenowEchoes?: boolean;
}

/** The ServiceNow integration user and the Jira integration account mim-bridge acts as. */
export const INTEGRATION = {
  servicenowUser: 'mim-bridge',
  servicenowPassword: 'sandbox-password',
  jiraEmail: 'mim-bridge@example.edu',
  jiraToken: 'sandbox-jira-token',
  jiraAccountId: '712020:mim-bridge-sandbox',
  slackToken: 'xoxb-sandbox-token',
  mailFrom: 'mim-bridge@example.edu',
} as const;

/** A person's API credentials on the simulators, for trying things by hand (their writes are not echoes). */
export const PERSON = {
  servicenowUser: 'admin',
  servicenowPassword: 'sandbox-admin',
  jiraEmail: 'priya.raman@example.edu',
  jiraToken: 'sandbox-person-token',
  jiraAccountId: '712020:priya-raman',
  jiraName: 'Priya Raman',
} as const;

/** The ServiceNow reference targets the demo's records point at: sys_id → display value. */
export const SN_REFERENCES: Readonly<Record<string, string>> = {
  '27d32778c0a8000b00db970eeaa60f16': 'Payroll',
  '27d32778c0a8000b00db970eeaa60f17': 'Single Sign-On',
  '27d32778c0a8000b00db970eeaa60f18': 'Library Catalogue',
  b0c25d1bc0a800090168be1bfcdcd759: 'payroll-app01',
  b0c25d1bc0a800090168be1bfcdcd760: 'idp-prod',
  '8a4dde73c6112278017a6a4baf547aa7': 'Payroll Platform',
  '8a4dde73c6112278017a6a4baf547aa8': 'Identity and Access',
  '8a4dde73c6112278017a6a4baf547aa9': 'Service Desk',
  '5137153cc611227c000bbd1bd8cd2005': 'Fred Luddy',
  '5137153cc611227c000bbd1bd8cd2006': 'Beth Anglin',
  '5137153cc611227c000bbd1bd8cd2007': 'Abel Tuter',
  '5137153cc611227c000bbd1bd8cd2008': 'Chief Financial Officer',
};

interface CatalogueNames {
  readonly projects: string[];
  readonly slackChannels: string[];
  readonly teamsWebhookEnvs: string[];
  readonly routingKeyEnvs: string[];
  readonly services: Record<string, string>;
}

/** What the config names that the simulators must know. */
function catalogue(configDir: string): CatalogueNames {
  type Svc = {
    id?: string;
    name?: string;
    match?: { jira?: { projects?: string[] } };
    jira?: { project?: string };
    pagerduty?: { routingKeyEnv?: string; escalationRoutingKeyEnv?: string; drillRoutingKeyEnv?: string };
  };
  type Aud = { channels?: { slack?: string[]; teamsWebhookEnv?: string } };
  const services =
    (parse(readFileSync(path.join(configDir, 'services.yaml'), 'utf8')) as { services?: Svc[] }).services ?? [];
  const audiences =
    (parse(readFileSync(path.join(configDir, 'audiences.yaml'), 'utf8')) as { audiences?: Aud[] }).audiences ?? [];
  const uniq = (xs: Array<string | undefined>) => [...new Set(xs.filter((x): x is string => Boolean(x)))];
  const routingKeyEnvs = uniq(
    services.flatMap((s) => [
      s.pagerduty?.routingKeyEnv,
      s.pagerduty?.escalationRoutingKeyEnv,
      s.pagerduty?.drillRoutingKeyEnv,
    ]),
  );
  return {
    projects: uniq(services.flatMap((s) => [s.jira?.project, ...(s.match?.jira?.projects ?? [])])),
    slackChannels: uniq(audiences.flatMap((a) => a.channels?.slack ?? []).map((c) => c.replace(/^#/, ''))),
    teamsWebhookEnvs: uniq(audiences.map((a) => a.channels?.teamsWebhookEnv)),
    routingKeyEnvs,
    services: Object.fromEntries(
      services.flatMap((s) => [
        ...[s.pagerduty?.routingKeyEnv, s.pagerduty?.escalationRoutingKeyEnv]
          .filter((e): e is string => Boolean(e))
          .map((e) => [e, s.name ?? e]),
        // A drill key is a PagerDuty service of its own (a practice rota): its pages show apart.
        ...(s.pagerduty?.drillRoutingKeyEnv ? [[s.pagerduty.drillRoutingKeyEnv, `${s.name ?? s.id} drills`]] : []),
      ]),
    ),
  };
}

/** A PagerDuty integration key: 32 characters, as the Events API insists. */
const routingKey = () => randomBytes(16).toString('hex');

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const configDir = opts.configDir ?? path.join(REPO_ROOT, 'config');
  const names = catalogue(configDir);
  const secrets = {
    servicenow: `sn-${randomBytes(12).toString('hex')}`,
    jira: `jira-${randomBytes(12).toString('hex')}`,
    pagerduty: `pd-${randomBytes(12).toString('hex')}`,
  } as const;
  const routingKeys: Record<string, string> = Object.fromEntries(
    [...names.routingKeyEnvs, 'PAGERDUTY_ROUTING_KEY'].map((e) => [e, routingKey()]),
  );
  const pdServices = Object.fromEntries(
    Object.entries(routingKeys).map(([env, key]) => [key, names.services[env] ?? 'Default service']),
  );

  const servicenow = createServicenowSim({
    users: {
      [INTEGRATION.servicenowUser]: INTEGRATION.servicenowPassword,
      [PERSON.servicenowUser]: PERSON.servicenowPassword,
    },
    ...(opts.servicenowEchoes === false ? { integrationUser: INTEGRATION.servicenowUser } : {}),
    references: SN_REFERENCES,
    // Enough retries (about 50 s in all) to outlast a restart of mim-bridge on a loaded machine:
    // the sandbox tests kill and restart it on purpose.
    webhookRetries: 8,
  });
  const jira = createJiraSim({
    projects: names.projects.map((key) => ({ key })),
    accounts: [
      {
        email: INTEGRATION.jiraEmail,
        apiToken: INTEGRATION.jiraToken,
        accountId: INTEGRATION.jiraAccountId,
        displayName: 'mim-bridge',
      },
      {
        email: PERSON.jiraEmail,
        apiToken: PERSON.jiraToken,
        accountId: PERSON.jiraAccountId,
        displayName: PERSON.jiraName,
      },
    ],
    webhookRetries: 8,
  });
  const pagerduty = createPagerdutySim({ services: pdServices });
  const slack = createSlackSim({ token: INTEGRATION.slackToken, channels: names.slackChannels });
  const teams = createTeamsSim({ webhooks: ['default', ...names.teamsWebhookEnvs] });
  const email = createEmailSim();

  const all = [servicenow, jira, pagerduty, slack, teams, email];
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const sim of all) {
      await sim.listen();
      started.push(sim);
    }
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }

  let bridgeUrl: string | undefined;
  const connect = (url: string) => {
    bridgeUrl = url;
    servicenow.setWebhook({ url: `${url}/webhooks/servicenow`, secret: secrets.servicenow });
    jira.setWebhook({ url: `${url}/webhooks/jira`, secret: secrets.jira });
    pagerduty.subscribe(`${url}/webhooks/pagerduty`, secrets.pagerduty);
  };

  const env: Record<string, string> = {
    SERVICENOW_URL: servicenow.url(),
    SERVICENOW_USERNAME: INTEGRATION.servicenowUser,
    SERVICENOW_PASSWORD: INTEGRATION.servicenowPassword,
    SERVICENOW_WEBHOOK_SECRET: secrets.servicenow,
    JIRA_URL: jira.url(),
    JIRA_EMAIL: INTEGRATION.jiraEmail,
    JIRA_API_TOKEN: INTEGRATION.jiraToken,
    JIRA_ACCOUNT_ID: INTEGRATION.jiraAccountId,
    JIRA_WEBHOOK_SECRET: secrets.jira,
    PAGERDUTY_EVENTS_URL: pagerduty.url(),
    PAGERDUTY_WEBHOOK_SECRET: secrets.pagerduty,
    ...routingKeys,
    SLACK_API_URL: slack.apiUrl(),
    SLACK_BOT_TOKEN: INTEGRATION.slackToken,
    TEAMS_WEBHOOK_URL: teams.webhookUrl('default'),
    ...Object.fromEntries(names.teamsWebhookEnvs.map((e) => [e, teams.webhookUrl(e)])),
    // The sink offers no STARTTLS: say so, as a relay on a trusted network would be configured.
    SMTP_URL: `${email.smtpUrl()}?ignoreTLS=true`,
    MAIL_FROM: INTEGRATION.mailFrom,
    MIM_CONFIG_DIR: configDir,
    // The demo and the tests poll the admin API several times a second.
    MIM_ADMIN_RATE_LIMIT: '100000',
    // The sandbox serves plain HTTP, where not every browser keeps a Secure (__Host-) session cookie.
    MIM_ADMIN_COOKIE_INSECURE: 'true',
  };

  return {
    servicenow,
    jira,
    pagerduty,
    slack,
    teams,
    email,
    urls: {
      servicenow: servicenow.url(),
      jira: jira.url(),
      pagerduty: pagerduty.url(),
      slack: slack.url(),
      teams: teams.url(),
      email: email.smtpUrl(),
    },
    connect,
    bridgeUrl: () => bridgeUrl,
    env,
    secrets,
    routingKeys,
    close: async () => {
      await Promise.allSettled(all.map((s) => s.close()));
    },
  };
}
