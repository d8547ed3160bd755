import { describe, expect, it } from 'vitest';
import { servicenowInbound } from '../../../../src/connectors/servicenow/index.ts';
import { IncidentEvent } from '../../../../src/domain/incident-event.ts';
import { loadFixture, REMOVE, request, withMember } from '../fixtures.ts';

function normalize(body: unknown) {
  return servicenowInbound.normalize(body, request(JSON.stringify(body)));
}
function eventOf(body: unknown): IncidentEvent {
  const result = normalize(body);
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}
function issuePaths(body: unknown): string[] {
  const result = normalize(body);
  return result.kind === 'invalid' ? result.issues.map((i) => i.path) : [];
}
const fixture = (name: string) => loadFixture('servicenow', name).body;

const PAYROLL_ID = 'c3a1f6e1db2c30107f4e7d1c8a9619a1';
/** INC0010042 as the default Table API shape gives it: references are sys_ids, no display values. */
const payroll = {
  source: 'servicenow',
  recordId: PAYROLL_ID,
  number: 'INC0010042',
  title: 'Payroll portal returns HTTP 500 for all users',
  description:
    'Since 09:05 every request to the payroll portal fails with HTTP 500. Reported by several users in Finance.',
  priority: 3,
  impact: 2,
  urgency: 2,
  serviceName: '27d32778c0a8000b00db970eeaa60f16',
  ciName: '55b35562c0a8010e01cff22378e0aea7',
  assignmentGroup: '8a4dde73c6112278017a6a4baf547aa7',
  caller: '5137153cc611227c000bbd1bd8cd2007',
  updatedBy: 'beth.anglin',
  changedFields: [],
  receivedAt: '2025-06-01T12:00:00.000Z',
} as const;

describe('servicenow normalize: fixtures', () => {
  it('record.new: bare row with {link, value} references, sys_mod_count 0 → incident.created', () => {
    expect(eventOf(fixture('record.new'))).toEqual({
      ...payroll,
      deliveryId: `${PAYROLL_ID}@0`,
      kind: 'incident.created',
      vendorEvent: 'record',
      state: 'new',
      updatedAt: '2025-03-04T09:12:44Z',
    });
  });

  it(
    'record.resolved: bare row without sys_mod_count → delivery id from sys_updated_on; ' + 'empty references dropped',
    () => {
      expect(eventOf(fixture('record.resolved'))).toEqual({
        source: 'servicenow',
        deliveryId: '9d385017c611228701d22104cc95c371@2025-03-05 14:02:10',
        kind: 'incident.updated',
        vendorEvent: 'record',
        recordId: '9d385017c611228701d22104cc95c371',
        number: 'INC0010043',
        title: 'Printer on floor 3 jams',
        description: 'Print jobs stay queued.',
        priority: 5,
        impact: 3,
        urgency: 3,
        state: 'resolved',
        assignmentGroup: '287ebd7da9fe198100f92cc8d1d2154e',
        caller: '5137153cc611227c000bbd1bd8cd2007',
        updatedAt: '2025-03-05T14:02:10Z',
        updatedBy: 'beth.anglin',
        changedFields: [],
        receivedAt: '2025-06-01T12:00:00.000Z',
      });
    },
  );

  it('insert.display-values: envelope, {value, display_value} references → display names', () => {
    expect(eventOf(fixture('insert.display-values'))).toEqual({
      source: 'servicenow',
      deliveryId: 'f12ca184735123002728660c4cf6a7ef@0',
      kind: 'incident.created',
      vendorEvent: 'insert',
      recordId: 'f12ca184735123002728660c4cf6a7ef',
      number: 'INC0010044',
      title: 'Email delivery stopped for all staff',
      description: 'Outbound and inbound mail queues are growing; Exchange transport service is down.',
      priority: 1,
      impact: 1,
      urgency: 1,
      state: 'new',
      serviceName: 'Email',
      ciName: 'EXCH-SJC-01',
      assignmentGroup: 'Network',
      caller: 'Fred Luddy',
      updatedAt: '2025-03-04T09:12:44Z',
      updatedBy: 'fred.luddy',
      changedFields: [],
      receivedAt: '2025-06-01T12:00:00.000Z',
    });
  });

  it('update.plain-strings: plain-string references are names; changed → changedFields', () => {
    expect(eventOf(fixture('update.plain-strings'))).toEqual({
      ...payroll,
      deliveryId: `${PAYROLL_ID}@3`,
      kind: 'incident.updated',
      vendorEvent: 'update',
      state: 'in_progress',
      serviceName: 'Payroll',
      ciName: 'SAP-PAY-01',
      assignmentGroup: 'Application Support',
      assignedTo: 'Beth Anglin',
      caller: 'David Loo',
      updatedAt: '2025-03-04T09:31:02Z',
      changedFields: ['state', 'assigned_to', 'work_notes'],
    });
  });

  it('work_note.added: work_notes → internal comment', () => {
    expect(eventOf(fixture('work_note.added'))).toEqual({
      ...payroll,
      deliveryId: `${PAYROLL_ID}@4`,
      assignedTo: '46d44a23a9fe19810012d100cca80666',
      kind: 'comment.created',
      vendorEvent: 'work_note',
      state: 'in_progress',
      updatedAt: '2025-03-04T09:40:27Z',
      changedFields: ['work_notes'],
      comment: {
        author: 'beth.anglin',
        body: 'App server pool exhausted DB connections; recycling pool B now.',
        visibility: 'internal',
      },
    });
  });

  it('comment.added: comments → public comment', () => {
    expect(eventOf(fixture('comment.added'))).toEqual({
      ...payroll,
      deliveryId: `${PAYROLL_ID}@5`,
      assignedTo: '46d44a23a9fe19810012d100cca80666',
      kind: 'comment.created',
      vendorEvent: 'comment',
      state: 'in_progress',
      updatedAt: '2025-03-04T09:45:10Z',
      updatedBy: 'david.loo',
      changedFields: ['comments'],
      comment: {
        author: 'david.loo',
        body: 'We are aware that the payroll portal is unavailable and are working on a fix.',
        visibility: 'public',
      },
    });
  });

  it('update.major-proposed: major_incident_state and the raised priority', () => {
    expect(eventOf(fixture('update.major-proposed'))).toEqual({
      ...payroll,
      deliveryId: `${PAYROLL_ID}@6`,
      assignedTo: '46d44a23a9fe19810012d100cca80666',
      kind: 'incident.updated',
      vendorEvent: 'update',
      priority: 1,
      impact: 1,
      urgency: 1,
      state: 'in_progress',
      majorIncidentState: 'proposed',
      updatedAt: '2025-03-04T09:47:55Z',
      changedFields: ['major_incident_state', 'proposed_by', 'proposed_on', 'priority', 'impact', 'urgency'],
    });
  });

  it('every fixture yields an event the domain schema accepts', () => {
    for (const name of [
      'record.new',
      'record.resolved',
      'insert.display-values',
      'update.plain-strings',
      'work_note.added',
      'comment.added',
      'update.major-proposed',
    ]) {
      expect(IncidentEvent.safeParse(eventOf(fixture(name))).success).toBe(true);
    }
  });
});

describe('servicenow normalize: mapping rules', () => {
  const wrapped = fixture('update.plain-strings');
  const set = (path: (string | number)[], value: unknown) => withMember(wrapped, path, value);

  it.each([
    ['1', 'new'],
    ['2', 'in_progress'],
    ['3', 'on_hold'],
    ['6', 'resolved'],
    ['7', 'closed'],
    ['8', 'canceled'],
    ['4', undefined],
    ['In Progress', undefined],
    ['constructor', undefined],
  ])('state %s → %s', (code, state) => {
    expect(eventOf(set(['record', 'state'], code)).state).toBe(state);
  });

  it('reads codes from {value, display_value} choice fields too', () => {
    const body = set(['record', 'state'], { value: '3', display_value: 'On Hold' });
    expect(eventOf(body).state).toBe('on_hold');
  });

  it.each([
    ['0', undefined],
    ['6', undefined],
    ['5', 5],
    ['toString', undefined],
  ])('priority %s → %s', (code, priority) => {
    expect(eventOf(set(['record', 'priority'], code)).priority).toBe(priority);
  });

  it('ignores an impact or urgency outside 1..3', () => {
    const event = eventOf(withMember(set(['record', 'impact'], '4'), ['record', 'urgency'], ''));
    expect([event.impact, event.urgency]).toEqual([undefined, undefined]);
  });

  it.each(['proposed', 'accepted', 'rejected', 'canceled'])('major_incident_state %s', (state) => {
    expect(eventOf(set(['record', 'major_incident_state'], state)).majorIncidentState).toBe(state);
  });

  it('drops an unknown major_incident_state instead of rejecting the delivery', () => {
    expect(eventOf(set(['record', 'major_incident_state'], 'candidate')).majorIncidentState).toBeUndefined();
  });

  it('falls back to the sys_id in value when a reference has no display_value', () => {
    const event = eventOf(set(['record', 'business_service'], { value: 'abc123', display_value: '' }));
    expect(event.serviceName).toBe('abc123');
  });

  it.each([
    ['insert', 'incident.created'],
    ['created', 'incident.created'],
    ['update', 'incident.updated'],
    ['delete', 'incident.deleted'],
    ['something_new', 'incident.updated'],
    ['constructor', 'incident.updated'],
  ])('envelope event %s → %s', (event, kind) => {
    expect(eventOf(set(['event'], event)).kind).toBe(kind);
  });

  it('without an envelope event, sys_mod_count 0 means created; the envelope event wins over it', () => {
    const first = withMember(wrapped, ['record', 'sys_mod_count'], '0');
    expect(eventOf(withMember(first, ['event'], REMOVE)).kind).toBe('incident.created');
    expect(eventOf(first).kind).toBe('incident.updated');
  });

  it('a comment event whose journal reads back empty is a plain update', () => {
    const event = eventOf(set(['event'], 'work_note'));
    expect(event.kind).toBe('incident.updated');
    expect(event.comment).toBeUndefined();
  });

  it('with both journals filled, the envelope event picks the journal and the field sets visibility', () => {
    const both = withMember(
      withMember(wrapped, ['record', 'comments'], 'public text'),
      ['record', 'work_notes'],
      'internal text',
    );
    expect(eventOf(withMember(both, ['event'], 'work_note')).comment).toMatchObject({
      body: 'internal text',
      visibility: 'internal',
    });
    expect(eventOf(withMember(both, ['event'], 'comment')).comment).toMatchObject({
      body: 'public text',
      visibility: 'public',
    });
    expect(eventOf(both).comment).toMatchObject({ body: 'public text', visibility: 'public' });
    expect(eventOf(both).kind).toBe('incident.updated');
  });

  it('ignores a whitespace-only journal entry', () => {
    expect(eventOf(set(['record', 'comments'], '  \n')).comment).toBeUndefined();
  });

  it('lets unknown columns and envelope members through', () => {
    const body = withMember(set(['record', 'u_new_column'], { nested: [1, 2] }), ['x_sent_by'], 'flow');
    expect(normalize(body).kind).toBe('event');
  });

  it('stamps receivedAt from the request', () => {
    const result = servicenowInbound.normalize(wrapped, {
      ...request('{}'),
      receivedAt: new Date('2030-01-02T03:04:05.678Z'),
    });
    expect(result.kind === 'event' && result.event.receivedAt).toBe('2030-01-02T03:04:05.678Z');
  });
});

describe('servicenow normalize: invalid deliveries', () => {
  const bare = fixture('record.new');
  const wrapped = fixture('update.plain-strings');

  it.each([
    ['null', null, ['(root)']],
    ['an array', [bare], ['(root)']],
    ['a number', 42, ['(root)']],
    ['a string', 'INC0010042', ['(root)']],
  ])('rejects %s at the root', (_label, body, paths) => {
    expect(issuePaths(body)).toEqual(paths);
  });

  it('names the missing sys_id of a bare record', () => {
    expect(issuePaths(withMember(bare, ['sys_id'], REMOVE))).toEqual(['sys_id']);
  });

  it('names the missing sys_updated_on of a wrapped record', () => {
    expect(issuePaths(withMember(wrapped, ['record', 'sys_updated_on'], REMOVE))).toEqual(['record.sys_updated_on']);
  });

  it.each(['2025-02-30 10:00:00', '2025-03-04T09:12:44Z', '2025-03-04 9:12:44', '04/03/2025 09:12:44', ''])(
    'rejects sys_updated_on %j',
    (value) => {
      expect(issuePaths(withMember(wrapped, ['record', 'sys_updated_on'], value))).toEqual(['record.sys_updated_on']);
    },
  );

  it('rejects a record that is not an object', () => {
    expect(issuePaths({ event: 'update', record: null })).toEqual(['record']);
  });

  it.each([
    [['record', 'state'], 2, 'record.state'],
    [['record', 'sys_id'], '', 'record.sys_id'],
    [['record', 'sys_mod_count'], 3, 'record.sys_mod_count'],
    [['changed'], 'state', 'changed'],
    [['changed'], ['state', 7], 'changed.1'],
    [['event'], { name: 'update' }, 'event'],
    [['record', 'business_service'], { value: 12 }, 'record.business_service'],
  ])('names %j when it is %j', (path, value, expected) => {
    expect(issuePaths(withMember(wrapped, path, value))).toContain(expected);
  });
});
