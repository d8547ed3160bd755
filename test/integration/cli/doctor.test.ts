import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSim, type EmailSim } from '../../../sandbox/email/index.ts';
import { runCli } from './run-in-process.ts';

/**
 * `mim-bridge doctor` in-process against one loopback HTTP server that answers as each vendor
 * (every request recorded: method, path and credentials) and the sandbox's SMTP sink. The shipped
 * config names two PagerDuty routing keys and two Teams webhooks by MIM_ROUTE_* variables.
 */

const SCOPES = 'chat:write,channels:read,groups:read,channels:history,groups:history';
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
}
const seen: Seen[] = [];
/** What the fake vendor answers; a test changes it. */
let slackScopes = SCOPES;
let jiraStatus = 200;

function answer(req: IncomingMessage): { status: number; body?: unknown; headers?: Record<string, string> } {
  const url = req.url ?? '';
  if (url === '/api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id')
    return req.headers.authorization === basic('mim.integration', 'sn-password-1')
      ? { status: 200, body: { result: [{ sys_id: '0123456789abcdef0123456789abcdef' }] } }
      : { status: 401, body: { error: { message: 'User Not Authenticated' } } };
  if (url === '/rest/api/3/myself')
    return jiraStatus === 200
      ? { status: 200, body: { accountId: 'acc-1', displayName: 'mim-bridge' } }
      : { status: 401 };
  if (url === '/api/auth.test')
    return { status: 200, body: { ok: true, team: 'Acme', user: 'mim' }, headers: { 'x-oauth-scopes': slackScopes } };
  return { status: 404 };
}

let server: Server;
let base: string;
let smtp: EmailSim;
const KEY = 'R0123456789ABCDEF0123456789ABCDE';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    req.resume();
    const a = answer(req);
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body === undefined ? '' : JSON.stringify(a.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  smtp = createEmailSim();
  await smtp.listen(0);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await smtp.close();
});

const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  MIM_CONFIG_DIR: 'config',
  SERVICENOW_URL: base,
  SERVICENOW_USERNAME: 'mim.integration',
  SERVICENOW_PASSWORD: 'sn-password-1',
  JIRA_URL: base,
  JIRA_EMAIL: 'mim@acme.example',
  JIRA_API_TOKEN: 'jira-token-1',
  PAGERDUTY_EVENTS_URL: base,
  MIM_ROUTE_PAGERDUTY_PAYROLL: KEY,
  MIM_ROUTE_PAGERDUTY_IDENTITY: KEY,
  MIM_ROUTE_PAGERDUTY_MIM: KEY,
  SLACK_API_URL: `${base}/api`,
  SLACK_BOT_TOKEN: 'xoxb-doctor-test',
  MIM_ROUTE_TEAMS_FINANCE: `${base}/workflows/finance?sig=teams-secret-1`,
  MIM_ROUTE_TEAMS_ALL_STAFF: `${base}/workflows/all?sig=teams-secret-2`,
  // The sink offers no STARTTLS; the URL says so, as a loopback relay's would.
  SMTP_URL: `${smtp.smtpUrl()}?ignoreTLS=true`,
  MAIL_FROM: 'Major Incidents <mim@acme.example>',
  ...more,
});

describe('mim-bridge doctor', () => {
  it('checks every configured connection, prints a table within 120 columns, exits 0', async () => {
    seen.length = 0;
    const r = await runCli(['doctor'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONNECTION\s+RESULT\s+DETAIL$/);
    for (const vendor of ['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email'])
      expect(lines.find((l) => l.startsWith(`${vendor} `))).toMatch(new RegExp(`^${vendor}\\s+ok\\s`));
    expect(lines.at(-1)).toBe('6 configured connection(s) ok');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    // The harmless calls, exactly; the Teams workflow URLs (their own credential) are never requested.
    expect(seen.map((s) => `${s.method} ${s.url}`).sort()).toEqual([
      'GET /',
      'GET /',
      'GET /api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id',
      'GET /rest/api/3/myself',
      'POST /api/auth.test',
    ]);
    expect(seen.find((s) => s.url === '/rest/api/3/myself')?.authorization).toBe(
      basic('mim@acme.example', 'jira-token-1'),
    );
    expect(seen.find((s) => s.url === '/api/auth.test')?.authorization).toBe('Bearer xoxb-doctor-test');
    expect(smtp.attempts).toEqual([]);
    expect(r.stdout).not.toMatch(/sn-password-1|jira-token-1|xoxb-doctor-test|teams-secret/);
  });

  it('prints the fix of each failure and exits 1', async () => {
    jiraStatus = 401;
    slackScopes = 'chat:write,channels:read,groups:read';
    try {
      const r = await runCli(['doctor'], env({ MIM_ROUTE_PAGERDUTY_IDENTITY: 'too-short' }));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^jira\s+FAILED\s+HTTP 401$/m);
      expect(r.stdout).toContain('fix: the API token in JIRA_API_TOKEN is wrong or expired');
      expect(r.stdout).toMatch(/^slack\s+FAILED\s+the token lacks channels:history, groups:history$/m);
      expect(r.stdout).toContain('fix: add scope channels:history, groups:history in the app manifest');
      expect(r.stdout).toContain('fix: the routing key in MIM_ROUTE_PAGERDUTY_IDENTITY is not');
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('3 of 6 configured connection(s) failed');
    } finally {
      jiraStatus = 200;
      slackScopes = SCOPES;
    }
  });

  it('--json gives the typed list; unconfigured connections are listed as not configured', async () => {
    const r = await runCli(['doctor', '--json'], {
      PATH: process.env.PATH,
      MIM_CONFIG_DIR: 'config',
      SERVICENOW_URL: base,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'wrong',
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; connections: Array<Record<string, unknown>> };
    expect(out.ok).toBe(false);
    expect(out.connections.map((c) => [c.vendor, c.status, c.code])).toEqual([
      ['servicenow', 'failed', 'UNAUTHORIZED'],
      ['jira', 'not_configured', undefined],
      // The shipped services.yaml names routing keys that are not set here.
      ['pagerduty', 'failed', 'ROUTING_KEY_UNSET'],
      ['slack', 'not_configured', undefined],
      ['teams', 'failed', 'WEBHOOK_UNSET'],
      ['email', 'not_configured', undefined],
    ]);
    expect(out.connections[0]).toMatchObject({
      fix: 'the credentials in SERVICENOW_USERNAME/SERVICENOW_PASSWORD are wrong or expired',
    });
  });

  it('an invalid environment is one line naming the variable, exit 1', async () => {
    const r = await runCli(['doctor'], { PATH: process.env.PATH, JIRA_URL: 'not a url' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('JIRA_URL');
  });

  it('a config that does not load is said, and the environment is still checked', async () => {
    const r = await runCli(['doctor', '--json'], { PATH: process.env.PATH, MIM_CONFIG_DIR: '/nonexistent-mim' });
    expect(r.stderr).toContain('does not load');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { ok: boolean }).ok).toBe(true);
  });
});
