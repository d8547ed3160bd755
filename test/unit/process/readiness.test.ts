import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import {
  assessReadiness,
  channelSettings,
  readiness,
  type ConnectionFact,
  type ReadinessFacts,
  type ReadinessReport,
} from '../../../src/process/readiness.ts';
import { READY_ENV, readinessConfig } from '../../helpers/readiness-config.ts';

/**
 * Readiness from config and facts (docs/process.md#readiness), against a catalogue of one ready
 * service (Payroll, tier 1) and one unready one (the Library Catalogue, tier 3).
 */

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig(readinessConfig());
});

const facts = (env: Record<string, string> = READY_ENV, connections?: readonly ConnectionFact[]): ReadinessFacts => ({
  config,
  settings: channelSettings(env),
  routeSet: (name) => Boolean(env[name]),
  now: NOW,
  ...(connections ? { connections } : {}),
});
const drilled = (daysAgo: number) => new Map([['payroll', new Date(NOW.getTime() - daysAgo * DAY)]]);
const row = (r: ReadinessReport, id: string) => r.services.find((s) => s.service === id)!;
const marks = (r: ReadinessReport, id: string) => Object.fromEntries(row(r, id).checks.map((c) => [c.check, c.ok]));
const fixes = (r: ReadinessReport, id: string) =>
  row(r, id).checks.flatMap((c) => c.fixes.map((f) => `${c.check}: ${f}`));

describe('assessReadiness', () => {
  it('marks the prepared tier-1 service ready and lists a fix for each gap of the other', () => {
    const r = assessReadiness(facts(), drilled(10));
    expect(marks(r, 'payroll')).toEqual({ roles: true, audiences: true, escalation: true, runbook: true, drill: true });
    expect(row(r, 'payroll')).toMatchObject({ ready: true, tier: 1, lastDrillAt: '2026-11-21T12:00:00.000Z' });
    expect(row(r, 'payroll').targets).toEqual({
      ackMs: 5 * 60_000,
      mobiliseMs: 15 * 60_000,
      firstCommsMs: 15 * 60_000,
      cadenceMs: 30 * 60_000,
      pirDueMs: 5 * DAY,
    });
    expect(marks(r, 'library-catalogue')).toEqual({
      roles: false,
      audiences: true,
      escalation: false,
      runbook: false,
      drill: false,
    });
    expect(fixes(r, 'library-catalogue')).toEqual([
      'roles: resolverGroup "Library Systems" reaches nobody: give an email address in services.yaml ' +
        'library-catalogue owners.resolverGroup, or add an audience named "Library Systems" to the service, or page ' +
        'it: pagerduty.routingKeyEnv with its variable set',
      'escalation: set pagerduty.routingKeyEnv for library-catalogue in services.yaml (a MIM_ROUTE_* variable)',
      'escalation: set pagerduty.escalationRoutingKeyEnv for library-catalogue in services.yaml (a MIM_ROUTE_* variable)',
      'runbook: add runbook: <https URL> to library-catalogue in services.yaml',
      'drill: run one: mim-bridge drill library-catalogue',
    ]);
    expect(r).toMatchObject({ ready: false, tier1Ready: true, online: false });
  });

  it('says which checks were made offline: those a connection check would have told more about', () => {
    const r = assessReadiness(facts(), drilled(10));
    expect(r.offlineChecks).toEqual(['roles', 'audiences', 'escalation']);
    expect(
      row(r, 'payroll')
        .checks.filter((c) => c.offline)
        .map((c) => c.check),
    ).toEqual(['roles', 'audiences', 'escalation']);
  });

  it('fails the escalation on an unset variable, naming the variable and never a value', () => {
    const { MIM_ROUTE_PAGERDUTY_MIM: _unset, ...env } = READY_ENV;
    const r = assessReadiness(facts(env), drilled(10));
    expect(marks(r, 'payroll').escalation).toBe(false);
    expect(fixes(r, 'payroll')).toEqual([
      'escalation: set the environment variable MIM_ROUTE_PAGERDUTY_MIM (pagerduty.escalationRoutingKeyEnv)',
    ]);
    expect(r.tier1Ready).toBe(false);
    expect(JSON.stringify(r)).not.toContain(READY_ENV.MIM_ROUTE_PAGERDUTY_PAYROLL);
  });

  it('needs email for roles held by an address, and each channel of each audience', () => {
    const { SMTP_URL: _smtp, MIM_ROUTE_TEAMS_FINANCE: _teams, ...env } = READY_ENV;
    const r = assessReadiness(facts(env), drilled(10));
    expect(fixes(r, 'payroll')).toEqual([
      'roles: majorIncidentManager, commsLead, serviceOwner are email addresses, and email cannot be sent: set ' +
        'SMTP_URL and MAIL_FROM (docs/setup-email.md)',
      'audiences: audience "payroll-users" email: set SMTP_URL and MAIL_FROM (docs/setup-email.md)',
      'audiences: audience "finance-leaders" teams: set the environment variable MIM_ROUTE_TEAMS_FINANCE',
      'audiences: audience "finance-leaders" email: set SMTP_URL and MAIL_FROM (docs/setup-email.md)',
    ]);
  });

  it("needs ServiceNow for an audience's portal announcement", () => {
    const { SERVICENOW_PASSWORD: _unset, ...env } = READY_ENV;
    const offline = assessReadiness(facts(env), drilled(10));
    expect(fixes(offline, 'payroll')).toEqual([
      'audiences: audience "payroll-users" portal announcement: set SERVICENOW_URL, SERVICENOW_USERNAME and ' +
        'SERVICENOW_PASSWORD (docs/setup-servicenow.md)',
    ]);
    const connections: ConnectionFact[] = [
      { vendor: 'servicenow', status: 'failed', detail: 'HTTP 401', fix: 'the credentials are wrong or expired' },
      { vendor: 'slack', status: 'ok', detail: 'ok' },
      { vendor: 'email', status: 'ok', detail: 'ok' },
      { vendor: 'teams', status: 'ok', detail: 'ok' },
      { vendor: 'pagerduty', status: 'ok', detail: 'ok' },
    ];
    expect(fixes(assessReadiness(facts(READY_ENV, connections), drilled(10)), 'payroll')).toEqual([
      'audiences: audience "payroll-users" portal announcement: HTTP 401: the credentials are wrong or expired',
    ]);
  });

  it('reaches a group through an audience of the service bearing its name', async () => {
    const services = {
      ...config.services,
      services: config.services.services.map((s) =>
        s.id === 'library-catalogue' ? { ...s, owners: { ...s.owners, resolverGroup: 'library staff' } } : s,
      ),
    };
    const r = assessReadiness({ ...facts(), config: { ...config, services } }, drilled(10));
    expect(marks(r, 'library-catalogue').roles).toBe(true);
    expect(row(r, 'library-catalogue').checks[0]!.detail).toContain(
      'resolverGroup through the audience "library staff"',
    );
  });

  it('fails a drill older than drills.maxAge (180d by default)', () => {
    expect(marks(assessReadiness(facts(), drilled(180)), 'payroll').drill).toBe(true);
    const stale = assessReadiness(facts(), drilled(181));
    expect(fixes(stale, 'payroll')).toEqual([
      'drill: the last drill is older than drills.maxAge (180d): run one: mim-bridge drill payroll',
    ]);
    expect(stale.tier1Ready).toBe(false);
  });

  it('uses the connection checks when they ran: a failure naming variables concerns those only', () => {
    const connections: ConnectionFact[] = [
      { vendor: 'servicenow', status: 'ok', detail: 'read the incident table' },
      { vendor: 'slack', status: 'ok', detail: 'auth.test ok' },
      { vendor: 'email', status: 'ok', detail: 'SMTP answers' },
      {
        vendor: 'teams',
        status: 'failed',
        detail: 'MIM_ROUTE_TEAMS_FINANCE is not https',
        fix: 'use the https URL the workflow shows',
      },
      {
        vendor: 'pagerduty',
        status: 'failed',
        detail: 'MIM_ROUTE_PAGERDUTY_OTHER: not 32 letters and digits',
        fix: 'copy it again',
      },
    ];
    const r = assessReadiness(facts(READY_ENV, connections), drilled(10));
    expect(r).toMatchObject({ online: true, offlineChecks: [] });
    expect(marks(r, 'payroll')).toMatchObject({ roles: true, audiences: false, escalation: true });
    expect(fixes(r, 'payroll')).toEqual([
      'audiences: audience "finance-leaders" teams: MIM_ROUTE_TEAMS_FINANCE is not https: use the https URL the ' +
        'workflow shows',
    ]);
  });

  it('online, names only its own unset variable (the check lists every unset one)', () => {
    const { MIM_ROUTE_TEAMS_FINANCE: _unset, ...env } = READY_ENV;
    const connections: ConnectionFact[] = [
      { vendor: 'servicenow', status: 'ok', detail: 'ok' },
      { vendor: 'slack', status: 'ok', detail: 'ok' },
      { vendor: 'email', status: 'ok', detail: 'ok' },
      {
        vendor: 'teams',
        status: 'failed',
        detail: 'MIM_ROUTE_TEAMS_FINANCE, MIM_ROUTE_TEAMS_ALL_STAFF not set',
        fix: 'set MIM_ROUTE_TEAMS_FINANCE, MIM_ROUTE_TEAMS_ALL_STAFF (named in audiences.yaml)',
      },
      { vendor: 'pagerduty', status: 'ok', detail: 'ok' },
    ];
    const r = assessReadiness(facts(env, connections), drilled(10));
    expect(row(r, 'payroll').checks.find((c) => c.check === 'audiences')).toMatchObject({
      ok: false,
      offline: false,
      fixes: ['audience "finance-leaders" teams: set the environment variable MIM_ROUTE_TEAMS_FINANCE'],
    });
  });

  it('fails every use of a connection whose failure names no variable', () => {
    const connections: ConnectionFact[] = [
      { vendor: 'servicenow', status: 'ok', detail: 'ok' },
      { vendor: 'slack', status: 'ok', detail: 'ok' },
      { vendor: 'email', status: 'failed', detail: 'no answer in time', fix: 'check SMTP_URL' },
      { vendor: 'teams', status: 'ok', detail: 'ok' },
      { vendor: 'pagerduty', status: 'failed', detail: 'the host name does not resolve', fix: 'check DNS' },
    ];
    const r = assessReadiness(facts(READY_ENV, connections), drilled(10));
    expect(marks(r, 'payroll')).toMatchObject({ roles: false, audiences: false, escalation: false });
    expect(fixes(r, 'payroll')).toContain('escalation: the host name does not resolve: check DNS');
  });
});

describe('readiness', () => {
  it('reads each last drill through the injected function; a failed read is "unknown", not a crash', async () => {
    const asked: string[] = [];
    const r = await readiness(facts(), async (id) => {
      asked.push(id);
      if (id === 'library-catalogue') throw new Error('Redis gone');
      return new Date(NOW.getTime() - DAY);
    });
    expect(asked).toEqual(['payroll', 'library-catalogue']);
    expect(row(r, 'payroll').ready).toBe(true);
    expect(row(r, 'library-catalogue').checks.find((c) => c.check === 'drill')).toEqual({
      check: 'drill',
      ok: false,
      detail: 'the last drill could not be read',
      fixes: ['check that Redis (REDIS_URL) answers'],
      offline: true,
    });
  });
});
