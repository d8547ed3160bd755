import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailSim, type EmailSim } from '../../../sandbox/email/index.ts';
import { READY_ENV, readinessConfig, readinessVendors } from '../../helpers/readiness-config.ts';
import { testRedis } from '../../helpers/redis.ts';
import { runCli } from './run-in-process.ts';

/**
 * `mim-bridge readiness` in-process, against the readiness catalogue (Payroll, tier 1, ready once
 * drilled; the Library Catalogue, tier 3, not), a real Redis holding the last drill under a prefix of
 * its own, and, online, one loopback server that answers as Slack, PagerDuty's events host and the
 * Teams workflow host, plus the sandbox's SMTP sink.
 */

const DAY = 86_400_000;
const { redis, prefix, clean } = testRedis();
const dir = readinessConfig();
let vendors: Awaited<ReturnType<typeof readinessVendors>>;
let base: string;
let smtp: EmailSim;

beforeAll(async () => {
  vendors = await readinessVendors();
  base = vendors.url;
  smtp = createEmailSim();
  await smtp.listen(0);
});
afterAll(async () => {
  await vendors.close();
  await smtp.close();
  await clean();
});

const drilledDaysAgo = (days: number) =>
  redis.set(
    `${prefix}:drill:last:payroll`,
    // As the drills feature records a closed drill.
    JSON.stringify({ miId: 'MI-DRILL-1', closedAt: new Date(Date.now() - days * DAY).toISOString(), met: true }),
  );
const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  MIM_REDIS_PREFIX: prefix,
  ...READY_ENV,
  ...more,
});
const online = () =>
  env({
    PAGERDUTY_EVENTS_URL: base,
    SERVICENOW_URL: base,
    SLACK_API_URL: `${base}/api`,
    MIM_ROUTE_TEAMS_FINANCE: `${base}/workflows/finance?sig=readiness-secret`,
    // audiences.yaml names it too: the Teams check stops at the first unset webhook.
    MIM_ROUTE_TEAMS_ALL_STAFF: `${base}/workflows/all?sig=readiness-secret-2`,
    SMTP_URL: `${smtp.smtpUrl()}?ignoreTLS=true`,
  });
const secrets = Object.values(READY_ENV).filter((v) => !v.startsWith('Major'));

interface Report {
  tier1Ready: boolean;
  online: boolean;
  offlineChecks: string[];
  services: Array<{ service: string; ready: boolean; checks: Array<{ check: string; ok: boolean; fixes: string[] }> }>;
}

describe('mim-bridge readiness', () => {
  it('--offline: a table with each check and the fix for each ✗, says what was offline, exit 0 (tier 1 ready)', async () => {
    await drilledDaysAgo(10);
    const r = await runCli(['readiness', '--config', dir, '--offline'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SERVICE\s+TIER\s+ROLES\s+AUDIENCES\s+ESCALATION\s+RUNBOOK\s+DRILL\s+ACK\s+MOBILISE\s+1ST COMMS\s+CADENCE\s+PIR DUE$/,
    );
    expect(lines[1]).toMatch(/^payroll\s+1\s+✓\s+✓\s+✓\s+✓\s+✓\s+5m\s+15m\s+15m\s+30m\s+5d$/);
    expect(lines[2]).toMatch(/^library-catalogue\s+3\s+✗\s+✓\s+✗\s+✗\s+✗\s+30m\s+15m\s+15m\s+4h\s+20d$/);
    expect(r.stdout).toContain('  ✗ runbook: add runbook: <https URL> to library-catalogue in services.yaml\n');
    expect(r.stdout).toContain('  ✗ drill: run one: mim-bridge drill library-catalogue\n');
    expect(r.stdout).toContain(
      'offline: roles, audiences, escalation made from config and environment alone (the connection checks did not run)',
    );
    expect(lines.at(-1)).toBe('1 of 2 service(s) ready; every tier-1 service ready');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    for (const secret of secrets) expect(r.stdout).not.toContain(secret);
    expect(vendors.requests).toEqual([]);
  });

  it('online: reuses the connection checks of doctor, nothing offline; exit 1 once the tier-1 drill is too old', async () => {
    await drilledDaysAgo(10);
    vendors.requests.length = 0;
    const r = await runCli(['readiness', '--config', dir, '--json'], online());
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ online: true, offlineChecks: [], tier1Ready: true });
    expect(report.services.map((s) => [s.service, s.ready])).toEqual([
      ['payroll', true],
      ['library-catalogue', false],
    ]);
    // ServiceNow's read, Slack's auth.test, the roots of PagerDuty's events host and of the Teams workflow host.
    expect(vendors.requests.sort()).toEqual([
      'GET /',
      'GET /',
      'GET /api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id',
      'POST /api/auth.test',
    ]);
    for (const secret of secrets) expect(r.stdout).not.toContain(secret);

    await drilledDaysAgo(200);
    const stale = await runCli(['readiness', '--config', dir], online());
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(
      '  ✗ drill: the last drill is older than drills.maxAge (180d): run one: mim-bridge drill payroll\n',
    );
    expect(stale.stdout.trimEnd().split('\n').at(-1)).toBe('0 of 2 service(s) ready; tier 1 not ready: payroll');
  });

  it('online: a failed connection is a ✗ with the fix doctor gives', async () => {
    await drilledDaysAgo(10);
    const r = await runCli(['readiness', '--config', dir, '--json'], { ...online(), SLACK_BOT_TOKEN: '' });
    expect(r.code).toBe(1);
    const payroll = (JSON.parse(r.stdout) as Report).services[0]!;
    expect(payroll.checks.find((c) => c.check === 'audiences')).toMatchObject({
      ok: false,
      fixes: ['audience "payroll-users" slack: slack is not configured: set SLACK_BOT_TOKEN (docs/setup-slack.md)'],
    });
  });

  it('without Redis the last drills are unknown: said on stderr, the drill check fails, exit 1', async () => {
    const r = await runCli(
      ['readiness', '--config', dir, '--offline', '--json'],
      env({ REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    expect(r.stderr).toContain('cannot reach Redis at REDIS_URL=redis://127.0.0.1:1');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.offlineChecks).toEqual(['roles', 'audiences', 'escalation', 'drill']);
    expect(report.services[0]!.checks.find((c) => c.check === 'drill')).toMatchObject({
      ok: false,
      fixes: ['check that Redis (REDIS_URL) answers'],
    });
  });

  it('a config that does not load is said with file:line, exit 1', async () => {
    const r = await runCli(['readiness', '--config', '/nonexistent-mim', '--offline'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^mim-bridge readiness: invalid config in \/nonexistent-mim/);
    expect(r.stdout).toBe('');
  });
});
