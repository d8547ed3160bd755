import { describe, expect, it } from 'vitest';
import { pagerdutyInbound } from '../../../../src/connectors/pagerduty/index.ts';
import type { IncidentEvent } from '../../../../src/domain/incident-event.ts';
import { loadFixture, REMOVE, request, withMember } from '../fixtures.ts';

function run(name: string, headers: Record<string, string> = {}) {
  const { raw, body } = loadFixture('pagerduty', name);
  return pagerdutyInbound.normalize(body, request(raw, headers));
}
/** Every incident event's time is the signed `event.occurred_at`. */
const TIME_PATH = 'event.occurred_at';
function eventOf(body: unknown): IncidentEvent {
  const result = pagerdutyInbound.normalize(body, request(JSON.stringify(body)));
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}
function issuePaths(body: unknown): string[] {
  const result = pagerdutyInbound.normalize(body, request(JSON.stringify(body ?? null)));
  return result.kind === 'invalid' ? result.issues.map((i) => i.path) : [];
}
const fixture = (name: string) => loadFixture('pagerduty', name).body;

const INCIDENT = 'Q2CKYRLH85UNN4';
/** Incident #37 of the captured account, as its incident.* deliveries describe it. */
const incident37 = (status: string, extra: Partial<IncidentEvent>) => ({
  source: 'pagerduty',
  recordId: INCIDENT,
  number: '37',
  title: 'Test',
  serviceName: 'Webhook Tester',
  updatedBy: 'PVE0ZR9',
  changedFields: [],
  page: {
    incidentId: INCIDENT,
    status,
    dedupKey: 'dfead9d88e0649e8b7dee514b1875756',
    serviceName: 'Webhook Tester',
    urgency: 'low',
    agent: 'Ben',
  },
  receivedAt: '2025-06-01T12:00:00.000Z',
  ...extra,
});

describe('pagerduty normalize: fixtures', () => {
  it('incident.triggered', () => {
    expect(run('incident.triggered')).toEqual({
      kind: 'event',
      timePath: TIME_PATH,
      event: incident37('triggered', {
        deliveryId: '01FKZSRAPTMF55RE69G8BQHGC6',
        kind: 'page.triggered',
        vendorEvent: 'incident.triggered',
        updatedAt: '2025-04-07T03:47:13.414Z',
      }),
    });
  });

  it('incident.acknowledged', () => {
    expect(run('incident.acknowledged')).toEqual({
      kind: 'event',
      timePath: TIME_PATH,
      event: incident37('acknowledged', {
        deliveryId: '01FKZSRAQJLP9S3OPM2VALGUPJ',
        kind: 'page.acknowledged',
        vendorEvent: 'incident.acknowledged',
        updatedAt: '2025-04-07T03:47:13.546Z',
      }),
    });
  });

  it('incident.resolved', () => {
    expect(run('incident.resolved')).toEqual({
      kind: 'event',
      timePath: TIME_PATH,
      event: incident37('resolved', {
        deliveryId: '01FKZSYE5HCMM576S6JUVIGLQT',
        kind: 'page.resolved',
        vendorEvent: 'incident.resolved',
        updatedAt: '2025-04-07T03:49:36.358Z',
      }),
    });
  });

  it('incident.annotated: the record is the incident the note points at, the note an internal comment', () => {
    expect(run('incident.annotated')).toEqual({
      kind: 'event',
      timePath: TIME_PATH,
      event: {
        source: 'pagerduty',
        deliveryId: '01FKZSYEOK0YQYTT9OZQJDS1P4',
        kind: 'page.annotated',
        vendorEvent: 'incident.annotated',
        recordId: INCIDENT,
        title: 'Test',
        updatedAt: '2025-04-07T03:49:36.680Z',
        updatedBy: 'PVE0ZR9',
        changedFields: [],
        comment: { id: 'PTSAIFZ', author: 'Ben', body: "Resolution Note: I'm resolving it", visibility: 'internal' },
        page: { incidentId: INCIDENT, agent: 'Ben' },
        receivedAt: '2025-06-01T12:00:00.000Z',
      },
    });
  });

  it('pagey.ping is ignored as a ping', () => {
    expect(run('pagey.ping')).toEqual({ kind: 'ignored', deliveryId: '01FKZOXA868SHYEE4DVNWB5P9W', reason: 'ping' });
  });

  it('keys the delivery on the signed event.id, never on the unsigned X-Webhook-Id header', () => {
    const result = run('incident.triggered', { 'x-webhook-id': 'a0b1c2d3-wh' });
    expect(result.kind === 'event' && result.event.deliveryId).toBe('01FKZSRAPTMF55RE69G8BQHGC6');
    expect(run('pagey.ping', { 'x-webhook-id': 'ping-wh' })).toMatchObject({
      kind: 'ignored',
      deliveryId: '01FKZOXA868SHYEE4DVNWB5P9W',
    });
  });
});

describe('pagerduty normalize: event types', () => {
  const triggered = fixture('incident.triggered');
  const as = (eventType: string) => withMember(triggered, ['event', 'event_type'], eventType);

  it.each([
    ['incident.unacknowledged', 'page.unacknowledged'],
    ['incident.reopened', 'page.reopened'],
    ['incident.escalated', 'page.escalated'],
    ['incident.priority_updated', 'page.other'],
    ['incident.reassigned', 'page.other'],
    ['incident.constructor', 'page.other'],
  ])('%s → %s', (eventType, kind) => {
    expect(eventOf(as(eventType)).kind).toBe(kind);
  });

  it('maps an incident event whose data references the incident (incident.responder.added)', () => {
    const body = withMember(as('incident.responder.added'), ['event', 'data'], {
      incident: { id: 'PINC123', summary: 'DB down', type: 'incident_reference' },
      user: { id: 'PUSER1', type: 'user_reference' },
      type: 'incident_responder',
    });
    expect(eventOf(body)).toMatchObject({
      kind: 'page.other',
      recordId: 'PINC123',
      title: 'DB down',
      page: { incidentId: 'PINC123' },
    });
  });

  it.each(['service.created', 'pagey.pong', 'incidentally'])('ignores %s', (eventType) => {
    expect(pagerdutyInbound.normalize(as(eventType), request('{}'))).toMatchObject({
      kind: 'ignored',
      deliveryId: '01FKZSRAPTMF55RE69G8BQHGC6',
    });
  });

  it('lets new fields through', () => {
    const body = withMember(
      withMember(triggered, ['event', 'data', 'custom_fields'], [{ name: 'x' }]),
      ['event', 'new'],
      1,
    );
    expect(eventOf(body).recordId).toBe(INCIDENT);
  });
});

describe('pagerduty normalize: invalid deliveries', () => {
  const triggered = fixture('incident.triggered');

  it.each([
    ['null', null, ['(root)']],
    ['a number', 3, ['(root)']],
    ['no event', {}, ['event']],
    ['an empty event', { event: {} }, ['event.id', 'event.event_type']],
  ])('rejects %s', (_label, body, paths) => {
    expect(issuePaths(body)).toEqual(paths);
  });

  it.each([
    [['event', 'data'], null, 'event.data'],
    [['event', 'data'], {}, 'event.data.id'],
    [['event', 'data', 'id'], REMOVE, 'event.data.id'],
    [['event', 'data', 'number'], '37', 'event.data.number'],
    [['event', 'data', 'service'], 'Webhook Tester', 'event.data.service'],
    [['event', 'occurred_at'], '2025-04-07 03:47:13', 'event.occurred_at'],
    [['event', 'occurred_at'], REMOVE, 'event.occurred_at'],
    [['event', 'agent'], 'Ben', 'event.agent'],
  ])('names %j when it is %j', (path, value, expected) => {
    expect(issuePaths(withMember(triggered, path, value))).toContain(expected);
  });

  it('rejects a note whose incident reference has no id, instead of using the note id', () => {
    const body = withMember(fixture('incident.annotated'), ['event', 'data', 'incident', 'id'], REMOVE);
    expect(issuePaths(body)).toEqual(['event.data.incident.id']);
  });
});
