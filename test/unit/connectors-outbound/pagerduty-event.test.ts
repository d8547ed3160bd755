import { describe, expect, it } from 'vitest';
import { followUpEvent, SUMMARY_MAX_LENGTH, triggerEvent } from '../../../src/connectors/pagerduty/outbound-schema.ts';

const base = { routingKey: 'R'.repeat(32), dedupKey: 'MI-1', source: 'mim-bridge', severity: 'critical' as const };

describe('pagerduty events (pure)', () => {
  it('keeps a summary of exactly 1024 characters', () => {
    const summary = 's'.repeat(SUMMARY_MAX_LENGTH);
    expect(triggerEvent({ ...base, summary }).payload.summary).toBe(summary);
  });

  it('cuts longer summaries to 1024 characters, never splitting a surrogate pair', () => {
    const cut = triggerEvent({ ...base, summary: '😀'.repeat(1100) }).payload.summary;
    expect(Array.from(cut)).toHaveLength(SUMMARY_MAX_LENGTH);
    expect(cut.endsWith('😀…')).toBe(true);
  });

  it('leaves optional members out rather than sending nulls', () => {
    expect(triggerEvent({ ...base, summary: 's' })).toEqual({
      routing_key: base.routingKey,
      event_action: 'trigger',
      dedup_key: 'MI-1',
      payload: { summary: 's', source: 'mim-bridge', severity: 'critical' },
      client: 'mim-bridge',
    });
    expect(followUpEvent('resolve', base.routingKey, 'MI-1')).toEqual({
      routing_key: base.routingKey,
      event_action: 'resolve',
      dedup_key: 'MI-1',
    });
  });
});
