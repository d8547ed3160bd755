import { describe, expect, it } from 'vitest';
import { vendorOutage } from './lib/vendor-outage.ts';

describe('chaos: Jira down for 30 s and Slack throttling, while ServiceNow and PagerDuty work', () => {
  it('serves the others during the outage, then every Jira action once; never calls Slack before Retry-After', async () => {
    const r = await vendorOutage({ outageMs: 30_000, slack429: 2, retryAfterSeconds: 2 });
    console.log(r.line);
    expect(r.servedDuringOutage).toEqual({ pagerduty: true, servicenow: true });
    expect(r.jiraRefused).toBeGreaterThan(0);
    expect(Object.values(r.issuesPerMi)).toEqual([1, 1]);
    expect(r.duplicatedLabels).toEqual([]);
    // The baseline's PIR is a third issue; each create made exactly one.
    expect(r.jiraCreates201).toBe(r.jiraIssues);
    expect(r.slack429s).toBe(2);
    expect(r.slackEarly).toEqual([]);
  }, 110_000);
});
