import { describe, expect, it } from 'vitest';
import { decide, type DecideInput } from '../../../src/orchestrator/decide.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

/** A drill's own records: the ServiceNow record and Jira issue it made move the drill, and nothing real. */

const NOW = new Date('2026-11-20T12:00:00Z');
const SN_RECORD = 'b'.repeat(32);
const event = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: 'd',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: SN_RECORD,
  number: 'INC9',
  updatedAt: '2026-11-20T11:59:00Z',
  receivedAt: '2026-11-20T11:59:01Z',
  changedFields: ['priority'],
  state: 'in_progress',
  priority: 1,
  ...over,
});
const drill = (over: Partial<MajorIncident> = {}): MajorIncident => ({
  id: 'MI-DRILL',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Simulated outage of Payroll',
  exercise: true,
  origin: { source: 'servicenow', recordId: 'manual-MI-DRILL' },
  configVersion: 'v1',
  roles: {},
  links: { servicenow: { sysId: SN_RECORD, number: 'INC9' } },
  detectedAt: '2026-11-20T11:00:00Z',
  createdAt: '2026-11-20T11:00:00Z',
  declaredAt: '2026-11-20T11:00:00Z',
  updatedAt: '2026-11-20T11:00:00Z',
  ...over,
});
const input = (over: Partial<DecideInput>): DecideInput => ({
  event: event(),
  serviceId: 'payroll',
  verdict: { decision: 'declare', decidedBy: 'p1-on-tier-1', unmapped: false },
  reopenWithinMinutes: 60,
  now: NOW,
  ...over,
});

describe('decide: the records of a drill', () => {
  it("resolving the drill's ServiceNow record resolves the drill, as it would a real major incident", () => {
    expect(decide(input({ linked: drill(), event: event({ state: 'resolved', changedFields: ['state'] }) }))).toEqual({
      kind: 'transition',
      miId: 'MI-DRILL',
      trigger: 'source.resolved',
    });
  });

  it('a P1 edit on a closed drill’s record neither starts a real major incident nor joins the open one', () => {
    const closed = drill({ state: 'closed', resolvedAt: '2026-11-20T11:30:00Z', closedAt: '2026-11-20T11:40:00Z' });
    const realOpen: MajorIncident = { ...drill({ id: 'MI-REAL', origin: { source: 'servicenow', recordId: 'x' } }) };
    delete (realOpen as { exercise?: boolean }).exercise;
    expect(decide(input({ linked: closed }))).toEqual({ kind: 'nothing', reason: 'part of exercise MI-DRILL' });
    expect(decide(input({ linked: closed, open: realOpen }))).toEqual({
      kind: 'nothing',
      reason: 'part of exercise MI-DRILL',
    });
    // The same edit on a real major incident's finished record falls through to the service's policy.
    const realClosed = { ...closed, exercise: undefined };
    expect(decide(input({ linked: realClosed, open: realOpen }))).toEqual({ kind: 'attach', miId: 'MI-REAL' });
  });
});
