import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.ts';
import { runChecks, type ConnectionsInput } from '../../../src/connectors/checks.ts';
import { checkJira } from '../../../src/connectors/jira/check.ts';
import { checkPagerduty } from '../../../src/connectors/pagerduty/check.ts';
import { checkServicenow } from '../../../src/connectors/servicenow/check.ts';
import { checkSlack, SLACK_REQUIRED_SCOPES } from '../../../src/connectors/slack/check.ts';
import { checkTeams } from '../../../src/connectors/teams/check.ts';
import { socketError, useNock } from './helpers.ts';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

const SN = 'https://acme.service-now.com';
const sn = { baseUrl: SN, username: 'mim.integration', password: 'sn-password-1', timeoutMs: 500 };
const snRead = () =>
  nock(SN)
    .matchHeader('authorization', basic(sn.username, sn.password))
    .get('/api/now/table/incident')
    .query({ sysparm_limit: '1', sysparm_fields: 'sys_id' });

const JIRA = 'https://acme.atlassian.net';
const jira = { baseUrl: JIRA, email: 'mim@acme.example', apiToken: 'jira-token-1', timeoutMs: 500 };
const myself = () =>
  nock(JIRA).matchHeader('authorization', basic(jira.email, jira.apiToken)).get('/rest/api/3/myself');

const slack = { apiUrl: 'https://slack.com/api', token: 'xoxb-test-token', timeoutMs: 500 };
const authTest = () =>
  nock('https://slack.com').matchHeader('authorization', 'Bearer xoxb-test-token').post('/api/auth.test', {});

const KEY = 'R0123456789ABCDEF0123456789ABCDE';

describe('connection checks, at the HTTP boundary', () => {
  useNock();

  describe('ServiceNow: GET of one incident sys_id', () => {
    it('passes on a Table API answer', async () => {
      snRead().reply(200, { result: [{ sys_id: '0123456789abcdef0123456789abcdef' }] });
      expect(await checkServicenow(sn)).toMatchObject({ ok: true });
    });

    it('401 names the credential variables', async () => {
      snRead().reply(401, { error: { message: 'User Not Authenticated' } });
      const out = await checkServicenow(sn);
      expect(out).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      expect(out.fix).toContain('SERVICENOW_USERNAME/SERVICENOW_PASSWORD');
    });

    it('403 asks for a role that reads incidents', async () => {
      snRead().reply(403, {});
      expect(await checkServicenow(sn)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    });

    it('a host that does not resolve names SERVICENOW_URL', async () => {
      snRead().replyWithError(socketError('ENOTFOUND'));
      const out = await checkServicenow(sn);
      expect(out).toMatchObject({ ok: false, code: 'ENOTFOUND' });
      expect(out.fix).toContain('SERVICENOW_URL');
    });

    it('an untrusted certificate names NODE_EXTRA_CA_CERTS', async () => {
      snRead().replyWithError(socketError('SELF_SIGNED_CERT_IN_CHAIN'));
      const out = await checkServicenow(sn);
      expect(out).toMatchObject({ ok: false, code: 'SELF_SIGNED_CERT_IN_CHAIN' });
      expect(out.fix).toContain('NODE_EXTRA_CA_CERTS');
    });

    it('an HTML page (a hibernating instance) is not a pass', async () => {
      snRead().reply(200, '<html>Your instance is hibernating</html>', { 'content-type': 'text/html' });
      expect(await checkServicenow(sn)).toMatchObject({ ok: false, code: 'INVALID_RESPONSE' });
    });
  });

  describe('Jira: GET /rest/api/3/myself', () => {
    it('passes and names the account', async () => {
      myself().reply(200, { accountId: '5b10a2844c20165700ede21g', displayName: 'mim-bridge' });
      const out = await checkJira(jira);
      expect(out).toMatchObject({ ok: true });
      expect(out.detail).toContain('5b10a2844c20165700ede21g');
    });

    it('401 names JIRA_API_TOKEN', async () => {
      myself().reply(401, 'Client must be authenticated to access this resource.');
      const out = await checkJira(jira);
      expect(out).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      expect(out.fix).toContain('JIRA_API_TOKEN');
    });

    it('a JIRA_ACCOUNT_ID of another account fails: echoes would not be recognised', async () => {
      myself().reply(200, { accountId: 'the-real-one' });
      expect(await checkJira({ ...jira, accountId: 'another' })).toMatchObject({ ok: false, code: 'ACCOUNT_MISMATCH' });
    });
  });

  describe('Slack: auth.test and the x-oauth-scopes header', () => {
    it('passes with every scope of docs/setup-slack.md', async () => {
      authTest().reply(
        200,
        { ok: true, team: 'Acme', user: 'mim-bridge' },
        {
          'x-oauth-scopes': `${SLACK_REQUIRED_SCOPES.join(',')},users:read`,
        },
      );
      expect(await checkSlack(slack)).toMatchObject({ ok: true });
    });

    it('a missing scope names it and the manifest', async () => {
      authTest().reply(200, { ok: true }, { 'x-oauth-scopes': 'chat:write,channels:read,groups:read' });
      const out = await checkSlack(slack);
      expect(out).toMatchObject({ ok: false, code: 'MISSING_SCOPE' });
      expect(out.fix).toBe(
        'add scope channels:history, groups:history in the app manifest (docs/setup-slack.md), then reinstall the app',
      );
    });

    it('invalid_auth (HTTP 200, ok:false) names SLACK_BOT_TOKEN', async () => {
      authTest().reply(200, { ok: false, error: 'invalid_auth' });
      const out = await checkSlack(slack);
      expect(out).toMatchObject({ ok: false, code: 'SLACK_INVALID_AUTH' });
      expect(out.fix).toContain('SLACK_BOT_TOKEN');
    });
  });

  describe('PagerDuty: no dry run exists, so key shape and TLS reachability', () => {
    const pd = { eventsUrl: 'https://events.pagerduty.com', timeoutMs: 500 };

    it('passes when the keys are well-formed and the host answers, sending no event', async () => {
      nock('https://events.pagerduty.com').get('/').reply(404);
      const out = await checkPagerduty({ ...pd, routingKeys: [{ name: 'PAGERDUTY_ROUTING_KEY', key: KEY }] });
      expect(out).toMatchObject({ ok: true });
    });

    it('a malformed key fails without any request', async () => {
      const out = await checkPagerduty({ ...pd, routingKeys: [{ name: 'MIM_ROUTE_PAYROLL', key: 'not-a-key' }] });
      expect(out).toMatchObject({ ok: false, code: 'ROUTING_KEY_MALFORMED' });
      expect(out.fix).toContain('MIM_ROUTE_PAYROLL');
    });

    it('an unreachable events host names PAGERDUTY_EVENTS_URL', async () => {
      nock('https://events.pagerduty.com').get('/').replyWithError(socketError('ECONNREFUSED'));
      const out = await checkPagerduty({ ...pd, routingKeys: [{ name: 'PAGERDUTY_ROUTING_KEY', key: KEY }] });
      expect(out).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
      expect(out.fix).toContain('PAGERDUTY_EVENTS_URL');
    });
  });

  describe('Teams: URL shape and TLS reachability, nothing posted', () => {
    const WORKFLOW =
      'https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke' +
      '?api-version=2016-06-01&sig=s3cr3t';

    it('passes for a workflow URL whose host answers; the URL itself is never requested', async () => {
      nock('https://prod-12.westeurope.logic.azure.com').get('/').reply(404);
      const out = await checkTeams({ webhooks: [{ name: 'TEAMS_WEBHOOK_URL', url: WORKFLOW }], timeoutMs: 500 });
      expect(out).toMatchObject({ ok: true });
      expect(JSON.stringify(out)).not.toContain('s3cr3t');
    });

    it('a retired Office 365 connector URL fails with the way out', async () => {
      const url = 'https://acme.webhook.office.com/webhookb2/x/IncomingWebhook/y/z';
      const out = await checkTeams({ webhooks: [{ name: 'MIM_ROUTE_TEAMS_FIN', url }], timeoutMs: 500 });
      expect(out).toMatchObject({ ok: false, code: 'CONNECTOR_RETIRED' });
      expect(out.fix).toContain('docs/setup-teams.md');
    });

    it('a workflow URL cut before sig= fails', async () => {
      const url = WORKFLOW.replace('&sig=s3cr3t', '');
      const out = await checkTeams({ webhooks: [{ name: 'TEAMS_WEBHOOK_URL', url }], timeoutMs: 500 });
      expect(out).toMatchObject({ ok: false, code: 'WEBHOOK_INCOMPLETE' });
    });
  });

  describe('runChecks', () => {
    const input = (env: Record<string, string>, more: Partial<ConnectionsInput> = {}): ConnectionsInput => ({
      env: parseEnv(env),
      routeSecret: () => undefined,
      timeoutMs: 300,
      ...more,
    });

    it('lists every vendor; unconfigured ones as not configured, partial ones as failed', async () => {
      const results = await runChecks(input({ JIRA_URL: JIRA, SMTP_URL: 'smtp://127.0.0.1:1' }));
      expect(results.map((r) => [r.vendor, r.status, r.code])).toEqual([
        ['servicenow', 'not_configured', undefined],
        ['jira', 'failed', 'INCOMPLETE'],
        ['pagerduty', 'not_configured', undefined],
        ['slack', 'not_configured', undefined],
        ['teams', 'not_configured', undefined],
        ['email', 'failed', 'INCOMPLETE'],
      ]);
      expect(results[1]!.fix).toBe('set JIRA_EMAIL, JIRA_API_TOKEN');
    });

    it('runs the configured checks in parallel, each within its timeout', async () => {
      snRead().delay(2_000).reply(200, { result: [] });
      myself().reply(200, { accountId: 'abc' });
      const started = Date.now();
      const results = await runChecks(
        input({
          SERVICENOW_URL: SN,
          SERVICENOW_USERNAME: sn.username,
          SERVICENOW_PASSWORD: sn.password,
          JIRA_URL: JIRA,
          JIRA_EMAIL: jira.email,
          JIRA_API_TOKEN: jira.apiToken,
        }),
      );
      expect(Date.now() - started).toBeLessThan(1_900);
      expect(results[0]).toMatchObject({ vendor: 'servicenow', status: 'failed', code: 'TIMEOUT' });
      expect(results[1]).toMatchObject({ vendor: 'jira', status: 'ok' });
    });

    it('checks the routing keys and webhooks config names, read from MIM_ROUTE_* only', async () => {
      const config = {
        services: { services: [{ pagerduty: { routingKeyEnv: 'MIM_ROUTE_PD_PAYROLL' } }] },
        audiences: { audiences: [{ channels: { teamsWebhookEnv: 'MIM_ROUTE_TEAMS_FIN' } }] },
      };
      const secrets: Record<string, string> = { MIM_ROUTE_PD_PAYROLL: 'short' };
      const results = await runChecks(input({}, { config, routeSecret: (name) => secrets[name] }));
      expect(results.find((r) => r.vendor === 'pagerduty')).toMatchObject({
        status: 'failed',
        code: 'ROUTING_KEY_MALFORMED',
      });
      expect(results.find((r) => r.vendor === 'teams')).toMatchObject({ status: 'failed', code: 'WEBHOOK_UNSET' });
    });
  });
});
