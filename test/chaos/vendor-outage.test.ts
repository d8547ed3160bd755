import { describe, expect, it } from 'vitest';
import { vendorOutage } from './lib/vendor-outage.ts';

/**
 * CHAOS_OUTAGE_MS (default 10 s) is how long Jira answers 503. Ten seconds is some ten refused
 * attempts with the shortened retry policy (500 ms base, 2 s cap, Retry-After 1 s), long past the
 * first PagerDuty and ServiceNow writes (about half a second): every assertion below holds or fails
 * as it would after a longer outage. `npm run chaos vendor-outage` runs one of 10 minutes.
 * Slack's Retry-After is checked per channel, as Slack applies it (slackWaits in lib/vendor-outage.ts).
 */
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS || 10_000);
if (!Number.isInteger(OUTAGE_MS) || OUTAGE_MS < 1_000)
  throw new Error(
    `CHAOS_OUTAGE_MS must be a whole number of milliseconds, at least 1000 (got "${process.env.CHAOS_OUTAGE_MS}")`,
  );

describe(`chaos: Jira down for ${OUTAGE_MS / 1000} s and Slack throttling, while ServiceNow and PagerDuty work`, () => {
  it(
    'serves the others during the outage, then every Jira action once; never posts to a Slack channel before ' +
      'its Retry-After',
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
