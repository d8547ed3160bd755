import { describe, expect, it } from 'vitest';
import { decide, type DecideInput } from '../../../src/orchestrator/decide.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const jiraEvent = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'jira',
  deliveryId: 'd',
  kind: 'incident.updated',
  vendorEvent: 'jira:issue_updated',
  recordId: '10042',
  number: 'PAY-42',
  updatedAt: '2026-11-20T11:59:00Z',
  receivedAt: '2026-11-20T11:59:01Z',
  changedFields: ['status'],
  state: 'resolved',
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
  links: { jira: { key: 'PAY-42', id: '10042' } },
  detectedAt: '2026-11-20T11:00:00Z',
  createdAt: '2026-11-20T11:00:00Z',
  updatedAt: '2026-11-20T11:00:00Z',
  ...over,
});
const input = (event: IncidentEvent, linked: MajorIncident): DecideInput => ({
  event,
  linked,
  serviceId: 'payroll',
  verdict: { decision: 'none', unmapped: false },
  reopenWithinMinutes: 60,
  now: NOW,
});

describe('decide: the counterpart record in the other system', () => {
  it('resolves the major incident when the Jira issue we created for it is resolved', () => {
    expect(decide(input(jiraEvent(), mi()))).toEqual({ kind: 'transition', miId: 'MI-1', trigger: 'source.resolved' });
  });

  it('resolves a Jira-origin major incident when the ServiceNow record we created is resolved', () => {
    const jiraOrigin = mi({
      origin: { source: 'jira', recordId: '10042', number: 'PAY-42' },
      links: { servicenow: { sysId: 'a'.repeat(32) } },
    });
    const e = jiraEvent({
      source: 'servicenow',
      recordId: 'a'.repeat(32),
      number: 'INC1',
      changedFields: [],
      state: 'resolved',
    });
    expect(decide(input(e, jiraOrigin))).toEqual({ kind: 'transition', miId: 'MI-1', trigger: 'source.resolved' });
  });

  it(
    're-opens on a status change of the counterpart, but not on a comment or an unrelated edit while it is still ' +
      'open',
    () => {
      const resolved = mi({ state: 'resolved', resolvedAt: '2026-11-20T11:30:00Z' });
      expect(decide(input(jiraEvent({ state: 'in_progress' }), resolved))).toEqual({
        kind: 'transition',
        miId: 'MI-1',
        trigger: 'source.reopened',
      });
      expect(
        decide(input(jiraEvent({ state: 'in_progress', kind: 'comment.created', changedFields: [] }), resolved)),
      ).toMatchObject({ kind: 'nothing' });
      expect(
        decide(input(jiraEvent({ state: 'in_progress', changedFields: ['description'] }), resolved)),
      ).toMatchObject({
        kind: 'nothing',
      });
    },
  );

  it('never lets another Jira issue (a child) speak for the major incident', () => {
    expect(decide(input(jiraEvent({ recordId: '10099', number: 'PAY-99' }), mi()))).toMatchObject({ kind: 'nothing' });
  });
});

describe('decide: a ServiceNow record that stays accepted', () => {
  it('closes the major incident when the accepted record is closed, and resolves it when resolved', () => {
    const origin = { source: 'servicenow' as const, recordId: 'a'.repeat(32), number: 'INC1' };
    const e = (state: IncidentEvent['state']) =>
      jiraEvent({
        source: 'servicenow',
        recordId: origin.recordId,
        number: 'INC1',
        changedFields: [],
        state,
        majorIncidentState: 'accepted',
      });
    expect(decide(input(e('closed'), mi({ state: 'resolved', origin, resolvedAt: '2026-11-20T11:30:00Z' })))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.closed',
    });
    expect(decide(input(e('resolved'), mi({ origin })))).toEqual({
      kind: 'transition',
      miId: 'MI-1',
      trigger: 'source.resolved',
    });
  });
});
