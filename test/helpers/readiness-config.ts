import { copyFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { configCopy } from './config-dir.ts';

/**
 * The shipped config with the readiness catalogue (test/fixtures/config/readiness/services.yaml):
 * Payroll, tier 1, ready once its environment and last drill are; the Library Catalogue, tier 3, not.
 */
export function readinessConfig(parent?: string): string {
  const { dir } = configCopy(parent);
  copyFileSync('test/fixtures/config/readiness/services.yaml', path.join(dir, 'services.yaml'));
  return dir;
}

/** Every variable and setting Payroll's checks need, with values of the right shape (never real). */
export const READY_ENV = {
  MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0123456789ABCDEF0123456789ABCDE',
  MIM_ROUTE_PAGERDUTY_MIM: 'R0123456789ABCDEF0123456789ABCDF',
  MIM_ROUTE_TEAMS_FINANCE: 'https://example.logic.azure.com/workflows/finance?sig=readiness-secret',
  SLACK_BOT_TOKEN: 'xoxb-readiness-test',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  MAIL_FROM: 'Major Incidents <mim@example.edu>',
  // Payroll's users get a Service Portal announcement (audiences.yaml): the ServiceNow integration user writes it.
  SERVICENOW_URL: 'https://acme.service-now.example',
  SERVICENOW_USERNAME: 'mim.integration',
  SERVICENOW_PASSWORD: 'sn-readiness-password',
} as const;

/**
 * ServiceNow's and Slack's harmless calls (the connection checks readiness reuses) answered as the
 * vendors do, on loopback: `requests` lists each call as `METHOD url`; anything else is 404.
 */
export async function readinessVendors(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === '/api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ result: [{ sys_id: '0123456789abcdef0123456789abcdef' }] }));
    }
    if (req.url === '/api/auth.test') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': SLACK_SCOPES });
      return void res.end(JSON.stringify({ ok: true, team: 'Acme', user: 'mim' }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SLACK_SCOPES = 'chat:write,channels:read,groups:read,channels:history,groups:history';
