import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadinessAnswer } from '../../../src/http/admin/readiness-routes.ts';
import { createEmailSim, type EmailSim } from '../../../sandbox/email/index.ts';
import { READY_ENV, readinessConfig, readinessVendors } from '../../helpers/readiness-config.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/**
 * `GET /admin/readiness` and `mim_service_ready` in the running service, against the readiness
 * catalogue (Payroll, tier 1, ready once drilled; the Library Catalogue, tier 3, not), with one
 * loopback server answering as Slack, PagerDuty's events host and the Teams workflow host, and the
 * sandbox's SMTP sink, so the connection checks it reuses pass.
 */

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'ready-viewer-token-1' };
const DAY = 86_400_000;

let vendor: Awaited<ReturnType<typeof readinessVendors>>;
let smtp: EmailSim;
let svc: TestService;
const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
let base: string;
const routes: Record<string, string> = {};

beforeAll(async () => {
  vendor = await readinessVendors();
  const vendorUrl = vendor.url;
  smtp = createEmailSim();
  await smtp.listen(0);
  Object.assign(routes, {
    MIM_ROUTE_PAGERDUTY_PAYROLL: READY_ENV.MIM_ROUTE_PAGERDUTY_PAYROLL,
    MIM_ROUTE_PAGERDUTY_MIM: READY_ENV.MIM_ROUTE_PAGERDUTY_MIM,
    MIM_ROUTE_TEAMS_FINANCE: `${vendorUrl}/workflows/finance?sig=readiness-secret`,
    MIM_ROUTE_TEAMS_ALL_STAFF: `${vendorUrl}/workflows/all?sig=readiness-secret-2`,
  });
  svc = await startTestService(
    {
      MIM_CONFIG_DIR: readinessConfig(),
      MIM_ADMIN_TOKENS: `v:viewer:sha256:${sha(TOKENS.viewer)}`,
      MIM_ADMIN_RATE_LIMIT: '1000',
      SLACK_API_URL: `${vendorUrl}/api`,
      SLACK_BOT_TOKEN: READY_ENV.SLACK_BOT_TOKEN,
      PAGERDUTY_EVENTS_URL: vendorUrl,
      SERVICENOW_URL: vendorUrl,
      SERVICENOW_USERNAME: READY_ENV.SERVICENOW_USERNAME,
      SERVICENOW_PASSWORD: READY_ENV.SERVICENOW_PASSWORD,
      SMTP_URL: `${smtp.smtpUrl()}?ignoreTLS=true`,
      MAIL_FROM: READY_ENV.MAIL_FROM,
    },
    { secrets: routes },
  );
  base = svc.url!;
  // As the drills feature records a closed drill.
  await redis.set(
    `${svc.keys.prefix}:drill:last:payroll`,
    JSON.stringify({ miId: 'MI-DRILL-1', closedAt: new Date(Date.now() - 10 * DAY).toISOString(), met: true }),
  );
});
afterAll(async () => {
  await stopAndClean(svc);
  await redis.quit();
  await vendor.close();
  await smtp.close();
});

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('GET /admin/readiness', () => {
  it('needs a token; a viewer reads one row per service with each check, its fixes and the targets', async () => {
    expect((await get('/admin/readiness')).status).toBe(401);
    vendor.requests.length = 0;
    const res = await get('/admin/readiness', TOKENS.viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as unknown;
    // The answer is what /openapi.json describes, field for field.
    expect(ReadinessAnswer.parse(body)).toEqual(body);
    const report = ReadinessAnswer.parse(body);
    expect(report).toMatchObject({ ready: false, tier1Ready: true, online: true, offlineChecks: [] });
    const [payroll, library] = report.services;
    expect(payroll).toMatchObject({ service: 'payroll', tier: 1, ready: true });
    expect(payroll!.targets).toEqual({
      ackMs: 300_000,
      mobiliseMs: 900_000,
      firstCommsMs: 900_000,
      cadenceMs: 1_800_000,
      pirDueMs: 5 * DAY,
    });
    expect(Date.now() - Date.parse(payroll!.lastDrillAt!)).toBeGreaterThanOrEqual(10 * DAY);
    expect(library!.checks.map((c) => [c.check, c.ok])).toEqual([
      ['roles', false],
      ['audiences', true],
      ['escalation', false],
      ['runbook', false],
      ['drill', false],
    ]);
    expect(library!.checks.find((c) => c.check === 'runbook')!.fixes).toEqual([
      'add runbook: <https URL> to library-catalogue in services.yaml',
    ]);
    // The connection checks of doctor ran: ServiceNow's read, Slack's auth.test, the PagerDuty and Teams hosts.
    expect(vendor.requests.sort()).toEqual([
      'GET /',
      'GET /',
      'GET /api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id',
      'POST /api/auth.test',
    ]);
    const text = JSON.stringify(body);
    for (const secret of [...Object.values(routes), READY_ENV.SLACK_BOT_TOKEN, READY_ENV.SERVICENOW_PASSWORD])
      expect(text).not.toContain(secret);
  });

  it('runs the connection checks at most once a minute, whoever asks', async () => {
    vendor.requests.length = 0;
    expect((await get('/admin/readiness', TOKENS.viewer)).status).toBe(200);
    expect((await get('/admin/readiness', TOKENS.viewer)).status).toBe(200);
    expect(vendor.requests).toEqual([]);
  });

  it('is declared in /openapi.json for the viewer role', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
    };
    expect(doc.paths['/admin/readiness']?.get?.['x-required-role']).toBe('viewer');
  });
});

describe('mim_service_ready', () => {
  it('gives each service and check 1 or 0, and `all`, at scrape time', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const samples = metrics.split('\n').filter((l) => l.startsWith('mim_service_ready{'));
    expect(samples).toContain('mim_service_ready{service="payroll",check="all"} 1');
    expect(samples).toContain('mim_service_ready{service="payroll",check="drill"} 1');
    expect(samples).toContain('mim_service_ready{service="library-catalogue",check="all"} 0');
    expect(samples).toContain('mim_service_ready{service="library-catalogue",check="runbook"} 0');
    expect(samples).toContain('mim_service_ready{service="library-catalogue",check="audiences"} 1');
    expect(samples).toHaveLength(12);
  });

  it('follows the last drill: a removed drill turns payroll to 0 at the next scrape', async () => {
    await redis.del(`${svc.keys.prefix}:drill:last:payroll`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('mim_service_ready{service="payroll",check="drill"} 0');
    expect(metrics).toContain('mim_service_ready{service="payroll",check="all"} 0');
  });
});
