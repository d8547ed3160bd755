import { describe, expect, it } from 'vitest';
import { impactUrgencyFor, jiraPriorityName, planFieldSync } from '../../../src/orchestrator/field-sync.ts';
import type { MappingsFile } from '../../../src/config/files/schema-mappings.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

const SYS = 'a'.repeat(32);
const mappings = (owner: 'servicenow' | 'jira' | 'both'): MappingsFile => ({
  priority: {
    matrix: [
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ],
    jira: { fieldId: 'priority', names: { Highest: 1, High: 2, Medium: 3, Low: 4, Lowest: 5 } },
  },
  state: {
    servicenow: { 1: 'new' },
    jira: { statusCategory: { new: 'new', indeterminate: 'in_progress', done: 'resolved' } },
  },
  fields: [{ servicenow: 'priority', jira: 'priority', owner }],
});
const mi: MajorIncident = {
  id: 'MI-1',
  serviceId: 'payroll',
  state: 'declared',
  title: 't',
  priority: 1,
  origin: { source: 'servicenow', recordId: SYS, number: 'INC1' },
  configVersion: 'v1',
  roles: {},
  links: { jira: { key: 'PAY-42', id: '10042' } },
  detectedAt: '2026-11-20T11:00:00Z',
  createdAt: '2026-11-20T11:00:00Z',
  updatedAt: '2026-11-20T11:00:00Z',
};
const sn = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: 'd',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: SYS,
  number: 'INC1',
  priority: 2,
  updatedAt: '2026-11-20T11:10:00Z',
  receivedAt: '2026-11-20T11:10:01Z',
  changedFields: ['impact', 'urgency', 'priority'],
  ...over,
});
const jira = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  ...sn(),
  source: 'jira',
  recordId: '10042',
  number: 'PAY-42',
  changedFields: ['priority'],
  ...over,
});

describe('planFieldSync (priority)', () => {
  it("writes the owner's change to the other system, mapped through mappings.yaml", () => {
    const plan = planFieldSync({ mi, event: sn(), mappings: mappings('servicenow') });
    expect(plan).toMatchObject({ kind: 'apply', next: { value: 2, source: 'servicenow', at: '2026-11-20T11:10:00Z' } });
    expect(plan.kind === 'apply' && plan.jobs).toEqual([
      {
        majorIncidentId: 'MI-1',
        do: 'jira.set_priority',
        target: 'jira',
        effect: 'sync',
        step: 0,
        round: 0,
        channel: `priority/servicenow/${SYS}@2026-11-20T11:10:00Z`,
        params: { priority: 2, name: 'High', fieldId: 'priority' },
      },
    ]);
  });

  it("records a conflict when the non-owner changes it, and writes the owner's value back", () => {
    const plan = planFieldSync({ mi, event: jira({ priority: 4 }), mappings: mappings('servicenow') });
    expect(plan).toMatchObject({
      kind: 'conflict',
      detail: { field: 'priority', value: 4, kept: 1, owner: 'servicenow' },
    });
    expect(plan.kind === 'conflict' && plan.jobs.map((j) => [j.do, j.params])).toEqual([
      ['jira.set_priority', { priority: 1, name: 'Highest', fieldId: 'priority' }],
    ]);
  });

  it('owner both: the newer change by source time wins; an older one is a conflict', () => {
    const current = { value: 3, source: 'servicenow' as const, at: '2026-11-20T11:20:00Z' };
    expect(
      planFieldSync({
        mi,
        event: jira({ priority: 2, updatedAt: '2026-11-20T11:30:00Z' }),
        mappings: mappings('both'),
        current,
      }),
    ).toMatchObject({ kind: 'apply', next: { value: 2, source: 'jira' } });
    const older = planFieldSync({
      mi,
      event: jira({ priority: 2, updatedAt: '2026-11-20T11:15:00Z' }),
      mappings: mappings('both'),
      current,
    });
    expect(older).toMatchObject({ kind: 'conflict', detail: { kept: 3 } });
    expect(older.kind === 'conflict' && older.jobs[0]).toMatchObject({
      do: 'jira.set_priority',
      params: { priority: 3, name: 'Medium' },
    });
  });

  it(
    'does nothing for the value it already holds (our own write coming back), for children, ' + 'or for other fields',
    () => {
      expect(planFieldSync({ mi, event: sn({ priority: 1 }), mappings: mappings('servicenow') })).toEqual({
        kind: 'none',
      });
      expect(planFieldSync({ mi, event: sn({ recordId: 'b'.repeat(32) }), mappings: mappings('servicenow') })).toEqual({
        kind: 'none',
      });
      expect(
        planFieldSync({ mi, event: jira({ changedFields: ['summary'] }), mappings: mappings('servicenow') }),
      ).toEqual({ kind: 'none' });
      expect(planFieldSync({ mi, event: sn(), mappings: { ...mappings('servicenow'), fields: [] } })).toEqual({
        kind: 'none',
      });
    },
  );

  it('compares values when ServiceNow does not say what changed', () => {
    expect(planFieldSync({ mi, event: sn({ changedFields: [] }), mappings: mappings('servicenow') })).toMatchObject({
      kind: 'apply',
    });
  });
});

describe('value tables', () => {
  it('finds impact and urgency for a priority in the matrix, and the Jira name', () => {
    const matrix = mappings('both').priority.matrix;
    expect([1, 2, 3, 4, 5].map((p) => impactUrgencyFor(p, matrix))).toEqual([
      { impact: 1, urgency: 1 },
      { impact: 1, urgency: 2 },
      { impact: 1, urgency: 3 },
      { impact: 2, urgency: 3 },
      { impact: 3, urgency: 3 },
    ]);
    expect(jiraPriorityName(4, mappings('both').priority.jira.names)).toBe('Low');
    expect(jiraPriorityName(9, mappings('both').priority.jira.names)).toBeUndefined();
  });
});

describe('field sync after declaring raised the priority', () => {
  const declared = { ...mi, priority: 1, originPriority: 3, declaredAt: '2026-11-20T11:05:00Z' };
  it('a read of the P3 origin as it was before the declaration does not lower the P1', () => {
    const stale = sn({ priority: 3, changedFields: [], updatedAt: '2026-11-20T11:04:00Z' });
    expect(planFieldSync({ mi: declared, event: stale, mappings: mappings('both') })).toEqual({ kind: 'none' });
  });
  it('a person lowering it in ServiceNow after the declaration is still synced', () => {
    const later = sn({ priority: 3, changedFields: [], updatedAt: '2026-11-20T11:20:00Z' });
    expect(planFieldSync({ mi: declared, event: later, mappings: mappings('both') })).toMatchObject({
      kind: 'apply',
      detail: { from: 1, to: 3 },
    });
  });
});
