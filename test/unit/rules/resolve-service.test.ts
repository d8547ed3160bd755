import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { resolveService } from '../../../src/rules/resolve-service.ts';

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig('config');
});

describe('resolveService', () => {
  it('maps ServiceNow business services, then CIs, case-insensitively', () => {
    expect(resolveService(config, { source: 'servicenow', serviceName: 'payroll portal' })?.id).toBe('payroll');
    expect(resolveService(config, { source: 'servicenow', serviceName: 'SSO' })?.id).toBe('identity');
    expect(resolveService(config, { source: 'servicenow', serviceName: 'Unknown', ciName: 'ldap-prod-02' })?.id).toBe(
      'identity',
    );
    expect(resolveService(config, { source: 'servicenow', serviceName: 'Car Park Barriers' })).toBeNull();
    expect(resolveService(config, { source: 'servicenow' })).toBeNull();
  });

  it("maps Jira components, then projects (the field or the issue key's prefix)", () => {
    expect(resolveService(config, { source: 'jira', serviceName: 'MFA', number: 'OPS-1' })?.id).toBe('identity');
    expect(resolveService(config, { source: 'jira', serviceName: 'IAM' })?.id).toBe('identity');
    expect(resolveService(config, { source: 'jira', number: 'LIB-77' })?.id).toBe('library-catalogue');
    expect(resolveService(config, { source: 'jira', number: 'OPS-77' })).toBeNull();
  });

  it('leaves PagerDuty incidents unmapped, and accepts the index itself', () => {
    expect(resolveService(config, { source: 'pagerduty', serviceName: 'Payroll' })).toBeNull();
    expect(resolveService(config.serviceIndex, { source: 'servicenow', serviceName: 'Payroll' })?.id).toBe('payroll');
  });
});
