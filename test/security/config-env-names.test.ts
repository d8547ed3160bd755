import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/files/build-config.ts';
import { routeSecret } from '../../src/config/route-env.ts';
import { configCopy } from '../helpers/config-dir.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { issuesOf, tempConfig } from '../unit/config/temp-config.ts';

/**
 * Config names the variables that hold routing keys and Teams URLs, and config can be applied
 * through the admin API. A name outside MIM_ROUTE_* must be refused when the config is validated,
 * and never read at run time, so config can never send one of the service's own credentials out.
 */

const PD = 'http://pagerduty.test';
const PASSWORD = 'the-servicenow-password-0001';
const DEFAULT_KEY = 'D3FAULTR0UT1NGKEY000000000000000';
const ADMIN = 'admin-token-config-env-names';
const SERVICES = readFileSync('config/services.yaml', 'utf8');

describe('env names in config files', () => {
  it(
    'refuses a service credential named as a routing key or a Teams webhook, ' + 'naming file, line and field',
    async () => {
      const t = tempConfig();
      t.replace('services.yaml', 'routingKeyEnv: MIM_ROUTE_PAGERDUTY_PAYROLL', 'routingKeyEnv: SERVICENOW_PASSWORD');
      t.replace(
        'services.yaml',
        'escalationRoutingKeyEnv: MIM_ROUTE_PAGERDUTY_MIM',
        'escalationRoutingKeyEnv: MIM_ADMIN_TOKEN',
      );
      t.replace('audiences.yaml', 'teamsWebhookEnv: MIM_ROUTE_TEAMS_FINANCE', 'teamsWebhookEnv: SMTP_URL');
      const issues = await issuesOf(t.dir);
      expect(issues.map((i) => [i.file, i.path, i.line])).toEqual([
        ['audiences.yaml', 'audiences.1.channels.teamsWebhookEnv', t.where('audiences.yaml', 'SMTP_URL').line],
        ['services.yaml', 'services.0.pagerduty.routingKeyEnv', t.where('services.yaml', 'SERVICENOW_PASSWORD').line],
        [
          'services.yaml',
          'services.0.pagerduty.escalationRoutingKeyEnv',
          t.where('services.yaml', 'MIM_ADMIN_TOKEN').line,
        ],
      ]);
      for (const i of issues) expect(i.message).toMatch(/only variables starting MIM_ROUTE_/);
    },
  );

  it('refuses the bare prefix and lower-case look-alikes', async () => {
    const t = tempConfig();
    t.replace('services.yaml', 'routingKeyEnv: MIM_ROUTE_PAGERDUTY_PAYROLL', 'routingKeyEnv: MIM_ROUTE_');
    t.replace('services.yaml', 'routingKeyEnv: MIM_ROUTE_PAGERDUTY_IDENTITY', 'routingKeyEnv: mim_route_identity');
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => i.path)).toEqual([
      'services.0.pagerduty.routingKeyEnv',
      'services.1.pagerduty.routingKeyEnv',
    ]);
  });

  it('reads only MIM_ROUTE_* variables at run time', () => {
    const env = { SERVICENOW_PASSWORD: PASSWORD, MIM_ROUTE_PAGERDUTY_PAYROLL: 'k', MIM_ROUTE_EMPTY: '' };
    expect(routeSecret(env, 'SERVICENOW_PASSWORD')).toBeUndefined();
    expect(routeSecret(env, 'MIM_ROUTE_PAGERDUTY_PAYROLL')).toBe('k');
    expect(routeSecret(env, 'MIM_ROUTE_EMPTY')).toBeUndefined();
    expect(routeSecret(env, 'MIM_ROUTE_MISSING')).toBeUndefined();
    expect(routeSecret(env, undefined)).toBeUndefined();
  });
});

describe('env names through the running service', () => {
  let svc: TestService;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    const config = configCopy();
    // The payroll service pages through PAGERDUTY_ROUTING_KEY unless its own key resolves.
    config.edit('services.yaml', (t) => t.replace('      escalationRoutingKeyEnv: MIM_ROUTE_PAGERDUTY_MIM\n', ''));
    svc = await startTestService(
      {
        MIM_CONFIG_DIR: config.dir,
        MIM_ADMIN_TOKEN: ADMIN,
        PAGERDUTY_EVENTS_URL: PD,
        PAGERDUTY_ROUTING_KEY: DEFAULT_KEY,
      },
      { secrets: { SERVICENOW_PASSWORD: PASSWORD } },
    );
  });
  afterAll(async () => {
    await stopAndClean(svc);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it(
    'answers 422 to a config applied through the admin API that names a service credential, and keeps the active ' +
      'version',
    async () => {
      const before = svc.config.current().version;
      const services = SERVICES.replace(
        'routingKeyEnv: MIM_ROUTE_PAGERDUTY_PAYROLL',
        'routingKeyEnv: SERVICENOW_PASSWORD',
      );
      const res = await fetch(`${svc.url}/admin/rules/apply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ files: { 'services.yaml': services } }),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { issues: Array<{ file: string; path: string; message: string }> };
      expect(body.issues).toEqual([
        expect.objectContaining({
          file: 'services.yaml',
          path: 'services.0.pagerduty.routingKeyEnv',
          message: expect.stringMatching(/MIM_ROUTE_/),
        }),
      ]);
      expect(svc.config.current().version).toBe(before);
    },
  );

  it('never reads a credential a config names without validation: the page goes out with the default key', async () => {
    // A config that skipped validation (e.g. adopted from Redis by an older process) naming SERVICENOW_PASSWORD.
    const cur = svc.config.current();
    const services = cur.services.services.map((s) =>
      s.id === 'payroll' ? { ...s, pagerduty: { routingKeyEnv: 'SERVICENOW_PASSWORD' } } : s,
    );
    const unvalidated = {
      ...cur,
      version: createHash('sha256').update('unvalidated').digest('hex').slice(0, 12),
      services: { ...cur.services, services },
    } as LoadedConfig;
    expect((await svc.config.adopt(unvalidated, 'remote')).ok).toBe(true);

    const sent: Array<Record<string, unknown>> = [];
    const pd = nock(PD)
      .post('/v2/enqueue', (b) => {
        sent.push(b);
        return true;
      })
      .reply(202, { status: 'success', dedup_key: 'x' });
    const body = JSON.stringify(
      snRecord({ sys_id: 'c0ffee00000000000000000000000001', sys_mod_count: '1', short_description: 'Payroll down' }),
    );
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body,
          headers: signedHeaders('servicenow', SECRETS.servicenow, body),
        })
      ).status,
    ).toBe(202);
    await eventually(async () => pd.isDone(), 10_000);
    expect(sent.map((b) => b.routing_key)).toEqual([DEFAULT_KEY]);
    expect(JSON.stringify(sent)).not.toContain(PASSWORD);
  });
});
