import { describe, expect, it } from 'vitest';
import { vendorUrls } from '../../../src/http/admin/vendor-urls.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

const mi = (over: Partial<MajorIncident> = {}): MajorIncident => ({
  id: 'MI-1',
  serviceId: 'payroll',
  state: 'declared',
  title: 't',
  origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC1' },
  configVersion: 'v',
  roles: {},
  links: {
    jira: { key: 'PAY-42', id: '10042' },
    pagerduty: { dedupKey: 'MI-1', incidentId: 'Q2CKYRLH85UNN4' },
    pir: { key: 'PAY-43' },
  },
  detectedAt: '2026-11-20T09:00:00Z',
  createdAt: '2026-11-20T09:00:00Z',
  updatedAt: '2026-11-20T09:00:00Z',
  ...over,
});

describe('vendorUrls', () => {
  it('links each system the service knows the address of', () => {
    expect(
      vendorUrls(mi(), {
        servicenow: 'https://example.service-now.com/',
        jira: 'https://example.atlassian.net',
        pagerduty: 'https://acme.pagerduty.com',
      }),
    ).toEqual({
      servicenow: `https://example.service-now.com/incident.do?sys_id=${'a'.repeat(32)}`,
      jira: 'https://example.atlassian.net/browse/PAY-42',
      pir: 'https://example.atlassian.net/browse/PAY-43',
      pagerduty: 'https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4',
    });
    expect(vendorUrls(mi(), {})).toEqual({});
    expect(
      vendorUrls(mi({ origin: { source: 'jira', recordId: '10042', number: 'PAY-42' }, links: {} }), {
        jira: 'https://j',
      }),
    ).toEqual({ jira: 'https://j/browse/PAY-42' });
  });
});
