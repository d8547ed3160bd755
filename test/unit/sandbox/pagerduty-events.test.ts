import { describe, expect, it } from 'vitest';
import { createIncidentStore } from '../../../sandbox/pagerduty/incidents.ts';
import { validateEvent, type ValidEvent } from '../../../sandbox/pagerduty/validate-event.ts';

const KEY = 'R0UT1NGKEY0000000000000000000001';
const trigger = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  routing_key: KEY,
  event_action: 'trigger',
  dedup_key: 'MI-1',
  payload: { summary: 'P1 payroll down', source: 'mim-bridge', severity: 'critical', ...payload },
  ...over,
});
const errorsOf = (body: unknown) => {
  const v = validateEvent(body);
  return v.ok ? [] : v.errors;
};

describe('pagerduty simulator: Events API v2 validation', () => {
  it('accepts a complete trigger and a bare acknowledge/resolve', () => {
    expect(validateEvent(trigger()).ok).toBe(true);
    expect(validateEvent({ routing_key: KEY, event_action: 'acknowledge', dedup_key: 'MI-1' }).ok).toBe(true);
    expect(validateEvent({ routing_key: KEY, event_action: 'resolve', dedup_key: 'MI-1' }).ok).toBe(true);
  });

  it.each([
    ['routing key of 31 characters', trigger({ routing_key: KEY.slice(1) }), /routing_key/],
    ['no routing key', trigger({ routing_key: undefined }), /routing_key/],
    ['unknown action', trigger({ event_action: 'snooze' }), /event_action/],
    ['dedup key of 256 characters', trigger({ dedup_key: 'k'.repeat(256) }), /dedup_key/],
    ['no summary', trigger({}, { summary: undefined }), /payload\.summary/],
    ['summary of 1025 characters', trigger({}, { summary: 's'.repeat(1025) }), /payload\.summary/],
    ['no source', trigger({}, { source: '' }), /payload\.source/],
    ['severity high', trigger({}, { severity: 'high' }), /payload\.severity/],
    ['no payload', trigger({ payload: undefined }), /payload/],
    ['resolve without dedup key', { routing_key: KEY, event_action: 'resolve' }, /dedup_key/],
  ])('rejects %s', (_name, body, field) => {
    const errors = errorsOf(body);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join(' ')).toMatch(field);
  });

  it('accepts the limits themselves: 1024-character summary, 255-character dedup key', () => {
    expect(validateEvent(trigger({ dedup_key: 'k'.repeat(255) }, { summary: 's'.repeat(1024) })).ok).toBe(true);
  });

  it('lists every problem, not the first only', () => {
    expect(errorsOf({ routing_key: 'short', event_action: 'trigger', payload: { severity: 'bad' } })).toHaveLength(4);
  });
});

describe('pagerduty simulator: dedup semantics', () => {
  const event = (over: Partial<ValidEvent> & { dedupKey: string }) =>
    ({
      routingKey: KEY,
      action: 'trigger',
      summary: 'down',
      source: 's',
      severity: 'critical',
      body: {},
      ...over,
    }) as ValidEvent & { dedupKey: string };
  const store = () =>
    createIncidentStore(
      () => 'Payroll',
      () => new Date('2025-06-01T12:00:00Z'),
    );

  it('a repeated trigger updates the open incident instead of opening another', () => {
    const s = store();
    const first = s.trigger(event({ dedupKey: 'MI-1' }));
    const again = s.trigger(event({ dedupKey: 'MI-1', summary: 'still down' }));
    expect(again.incident).toBe(first.incident);
    expect(again.changed).toBe(false);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]?.title).toBe('still down');
  });

  it('acknowledge then resolve act on the open incident; a new trigger after resolve opens a new one', () => {
    const s = store();
    s.trigger(event({ dedupKey: 'MI-1' }));
    expect(s.move('acknowledge', KEY, 'MI-1', 'events-api')?.changed).toBe(true);
    expect(s.move('acknowledge', KEY, 'MI-1', 'events-api')?.changed).toBe(false);
    expect(s.move('resolve', KEY, 'MI-1', 'Ben')?.incident.status).toBe('resolved');
    expect(s.move('resolve', KEY, 'MI-1', 'Ben')).toBeUndefined();
    const reopened = s.trigger(event({ dedupKey: 'MI-1' }));
    expect(reopened.changed).toBe(true);
    expect(s.incidents.map((i) => i.status)).toEqual(['resolved', 'triggered']);
    expect(s.incidents[0]?.history.map((h) => `${h.action}:${h.status}`)).toEqual([
      'trigger:triggered',
      'acknowledge:acknowledged',
      'acknowledge:acknowledged',
      'resolve:resolved',
    ]);
  });

  it('the dedup key is scoped to the routing key', () => {
    const s = store();
    s.trigger(event({ dedupKey: 'MI-1' }));
    s.trigger(event({ dedupKey: 'MI-1', routingKey: 'R0UT1NGKEY0000000000000000000002' }));
    expect(s.incidents).toHaveLength(2);
    expect(s.move('resolve', 'R0UT1NGKEY0000000000000000000003', 'MI-1', 'events-api')).toBeUndefined();
  });
});
