import { describe, expect, it } from 'vitest';
import { LifecycleTrigger, triggerKey } from '../../../src/domain/lifecycle.ts';
import { COLUMNS, sampleTrigger } from './lifecycle-expected.ts';

const base = { actor: { type: 'person', id: 'ada@example.edu' }, at: '2026-11-20T10:00:00Z' };

describe('LifecycleTrigger', () => {
  it.each(COLUMNS)('the sample for %s parses and maps back to its column', (key) => {
    const trigger = LifecycleTrigger.parse(sampleTrigger(key));
    expect(triggerKey(trigger)).toBe(key);
  });

  it('maps each ServiceNow major_incident_state to its own column', () => {
    const key = (value: string) => triggerKey(LifecycleTrigger.parse({ type: 'source.major_state', value, ...base }));
    expect(['proposed', 'accepted', 'rejected', 'canceled'].map(key)).toEqual([
      'source.major_proposed',
      'source.major_accepted',
      'source.major_rejected',
      'source.major_canceled',
    ]);
  });

  it.each([
    ['an unknown type', { type: 'rule.escalate', ruleId: 'r', ...base }],
    ['an unknown ServiceNow value', { type: 'source.major_state', value: 'approved', ...base }],
    ['a rule without its id', { type: 'rule.declare', ...base }],
    ['a manual move without a reason', { type: 'manual.close', ...base }],
    ['a manual move with a blank reason', { type: 'manual.cancel', reason: '   ', ...base }],
    ['a source move from PagerDuty', { type: 'source.resolved', source: 'pagerduty', ...base }],
    ['a time without a zone', { type: 'pir.completed', actor: base.actor, at: '2026-11-20 10:00' }],
    ['an unknown actor type', { type: 'pir.completed', actor: { type: 'bot', id: 'x' }, at: base.at }],
  ])('rejects %s', (_name, value) => {
    expect(LifecycleTrigger.safeParse(value).success).toBe(false);
  });
});
