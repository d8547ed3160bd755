import { describe, expect, it } from 'vitest';
import { vendorOutage } from './lib/vendor-outage.ts';

/**
 * CHAOS_OUTAGE_MS (default 30 s) is how long Jira answers 503. A shorter outage is not only a
 * shorter test: with 10 s, two runs in three here found a chat.postMessage about 130 ms after a
 * 429 whose Retry-After was 2 s (`slackEarly`), which the 30 s run did not. Keep the default until
 * that is explained. `npm run chaos vendor-outage` runs a 10-minute outage.
 */
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS || 30_000);
if (!Number.isInteger(OUTAGE_MS) || OUTAGE_MS < 1_000)
  throw new Error(
    `CHAOS_OUTAGE_MS must be a whole number of milliseconds, at least 1000 (got "${process.env.CHAOS_OUTAGE_MS}")`,
  );

describe(`chaos: Jira down for ${OUTAGE_MS / 1000} s and Slack throttling, while ServiceNow and PagerDuty work`, () => {
  it(
    'serves the others during the outage, then every Jira action once; never calls Slack before Retry-After',
    async () => {
      const r = await vendorOutage({ outageMs: OUTAGE_MS, slack429: 2, retryAfterSeconds: 2 });
      console.log(r.line);
      expect(r.servedDuringOutage).toEqual({ pagerduty: true, servicenow: true });
      expect(r.jiraRefused).toBeGreaterThan(0);
      expect(Object.values(r.issuesPerMi)).toEqual([1, 1]);
      expect(r.duplicatedLabels).toEqual([]);
      // The baseline's PIR is a third issue; each create made exactly one.
      expect(r.jiraCreates201).toBe(r.jiraIssues);
      expect(r.slack429s).toBe(2);
      expect(r.slackEarly).toEqual([]);
    },
    80_000 + OUTAGE_MS,
  );
});
