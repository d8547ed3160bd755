import { describe, expect, it } from 'vitest';
import { decide, type DecideInput, type RuleVerdict } from '../../../src/orchestrator/decide.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const event = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: 'd',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: 'inc1',
  number: 'INC1',
  updatedAt: '2026-11-20T11:59:00Z',
  receivedAt: '2026-11-20T11:59:01Z',
  changedFields: [],
  state: 'in_progress',
  ...over,
});
const mi = (over: Partial<MajorIncident> = {}): MajorIncident => ({
  id: 'MI-1',
  serviceId: 'payroll',
  state: 'declared',
  title: 't',
  origin: { source: 'servicenow', recordId: 'inc1' },
  configVersion: 'v1',
  roles: {},
  links: {},
  detectedAt: '2026-11-20T11:00:00Z',
  createdAt: '2026-11-20T11:00:00Z',
  updatedAt: '2026-11-20T11:00:00Z',
  ...over,
});
const verdict = (decision: RuleVerdict['decision'], unmapped = false): RuleVerdict => ({
  decision,
  unmapped,
  ...(decision !== 'none' ? { decidedBy: 'r1' } : {}),
});
const input = (over: Partial<DecideInput>): DecideInput => ({
  event: event(),
  serviceId: 'payroll',
  verdict: verdict('none'),
  reopenWithinMinutes: 60,
  now: NOW,
  ...over,
});

describe('decide', () => {
  it('declares a new major incident when a rule says declare and none is open', () => {
    expect(decide(input({ verdict: verdict('declare') }))).toEqual({ kind: 'create', trigger: 'rule.declare' });
    expect(decide(input({ verdict: verdict('propose') }))).toEqual({ kind: 'create', trigger: 'rule.propose' });
  });

  it('attaches further matching incidents to the open one instead of starting a second', () => {
    const open = mi({ id: 'MI-open' });
    expect(decide(input({ event: event({ recordId: 'inc2' }), verdict: verdict('declare'), open }))).toEqual({
      kind: 'attach',
      miId: 'MI-open',
    });
  });

  it('promotes an open candidate when a later incident makes a rule declare', () => {
    const open = mi({ id: 'MI-c', state: 'candidate' });
    expect(decide(input({ event: event({ recordId: 'inc9' }), verdict: verdict('declare'), open }))).toEqual({
      kind: 'attach',
      miId: 'MI-c',
      then: 'rule.declare',
    });
  });

  it('never declares for an unmapped service', () => {
    expect(decide(input({ serviceId: null, verdict: verdict('none', true) }))).toEqual({
      kind: 'nothing',
      reason: 'unmapped service',
    });
  });

  it('honours a Major Incident Manager rejecting the candidate in ServiceNow', () => {
    const linked = mi({ state: 'candidate' });
    const e = event({ majorIncidentState: 'rejected', changedFields: ['major_incident_state'] });
    expect(decide(input({ event: e, linked, verdict: verdict('propose') }))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.major_rejected',
    });
  });

  it('resolves when the origin record resolves, but not when a child does', () => {
    const linked = mi();
    expect(decide(input({ event: event({ state: 'resolved' }), linked }))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.resolved',
    });
    expect(decide(input({ event: event({ recordId: 'child', state: 'resolved' }), linked }))).toMatchObject({
      kind: 'nothing',
    });
  });

  it('re-opens within the window and starts a linked one after it', () => {
    const last = mi({ state: 'resolved', resolvedAt: '2026-11-20T11:30:00Z' });
    const e = event({ recordId: 'new1' });
    expect(decide(input({ event: e, verdict: verdict('declare'), last }))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.reopened',
      attach: true,
    });
    const older = mi({ state: 'resolved', resolvedAt: '2026-11-20T10:00:00Z' });
    expect(decide(input({ event: e, verdict: verdict('declare'), last: older }))).toEqual({
      kind: 'create',
      trigger: 'rule.declare',
      relatedTo: 'MI-1',
    });
  });

  it('re-opens when the origin record re-opens after resolution', () => {
    const linked = mi({ state: 'resolved', resolvedAt: '2026-11-20T11:30:00Z' });
    expect(decide(input({ event: event({ state: 'in_progress' }), linked }))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.reopened',
    });
  });

  it('starts a candidate when a person proposes in ServiceNow', () => {
    const e = event({ majorIncidentState: 'proposed', changedFields: ['major_incident_state'] });
    expect(decide(input({ event: e }))).toEqual({ kind: 'create', trigger: 'source.major_proposed' });
  });
});
