import { describe, expect, it } from 'vitest';
import { SUMMARY_MAX_LENGTH, triggerEvent } from '../../src/connectors/pagerduty/outbound-schema.ts';

/**
 * The page's summary carries the major incident's title (anyone can type it) and is read out in
 * SMS, push and phone notifications: one line, within PagerDuty's 1024 characters. Custom details
 * are JSON values, which PagerDuty shows as data.
 * https://developer.pagerduty.com/docs/events-api-v2-overview
 */

const base = { routingKey: 'R'.repeat(32), dedupKey: 'MI-1', source: 'mim-bridge', severity: 'critical' as const };

describe('PagerDuty trigger from hostile text', () => {
  it('the summary is one line, cut to 1024 characters', () => {
    const summary = `[MI-1] <script>alert(1)</script>\r\nACK NOW: call +1 555 0100\n${'x'.repeat(2000)}`;
    const sent = triggerEvent({ ...base, summary }).payload.summary;
    expect(sent).not.toMatch(/[\r\n]/);
    expect(sent.startsWith('[MI-1] <script>alert(1)</script> ACK NOW: call +1 555 0100 x')).toBe(true);
    expect(Array.from(sent)).toHaveLength(SUMMARY_MAX_LENGTH);
  });

  it('custom details go as the values they are', () => {
    const details = { origin: 'servicenow [code]<img src=x>[/code]', nested: { html: '<b>x</b>' } };
    expect(triggerEvent({ ...base, summary: 's', customDetails: details }).payload.custom_details).toEqual(details);
  });
});
