import { copyFileSync } from 'node:fs';
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
