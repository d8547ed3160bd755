import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import { assigneeFrom } from '../../../src/orchestrator/assignee.ts';
import { at, declaredMi } from '../orchestrator/process/mi-fixture.ts';

const mi = declaredMi({ links: { servicenow: { sysId: 'a'.repeat(32), number: 'INC0010001' } } });
const event = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: 'd1',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: 'a'.repeat(32),
  number: 'INC0010001',
  assignedTo: 'Beth Anglin',
  updatedAt: at('09:10'),
  changedFields: ['assigned_to'],
  receivedAt: at('09:10'),
  ...over,
});

describe('the ServiceNow assignee of a major incident', () => {
  it('is taken from the origin record', () => {
    expect(assigneeFrom(mi, event(), undefined)).toEqual({
      name: 'Beth Anglin',
      at: at('09:10'),
      record: 'INC0010001',
    });
  });

  it('is not taken from a child, another source, an older delivery, a delivery that repeats it, or a bare sys_id', () => {
    const held = { name: 'Beth Anglin', at: at('09:10'), record: 'INC0010001' };
    expect(assigneeFrom(mi, event({ recordId: 'b'.repeat(32), number: 'INC0010002' }), undefined)).toBeUndefined();
    expect(assigneeFrom(mi, event({ source: 'jira' }), undefined)).toBeUndefined();
    expect(assigneeFrom(mi, event({ assignedTo: 'Fred Luddy', updatedAt: at('09:05') }), held)).toBeUndefined();
    expect(assigneeFrom(mi, event({ updatedAt: at('09:20') }), held)).toBeUndefined();
    expect(assigneeFrom(mi, event({ assignedTo: '  ' }), undefined)).toBeUndefined();
    // A delivery without display values gives the user's sys_id: not a name.
    expect(assigneeFrom(mi, event({ assignedTo: '46d44a23a9fe19810012d100cca80666' }), undefined)).toBeUndefined();
  });

  it('follows a re-assignment', () => {
    const held = { name: 'Beth Anglin', at: at('09:10'), record: 'INC0010001' };
    expect(assigneeFrom(mi, event({ assignedTo: 'Fred Luddy', updatedAt: at('09:20') }), held)).toEqual({
      name: 'Fred Luddy',
      at: at('09:20'),
      record: 'INC0010001',
    });
  });
});
