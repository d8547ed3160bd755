import { describe, expect, it } from 'vitest';
import {
  candidatePairs,
  isWhollyOurs,
  withoutOurs,
  type WrittenField,
} from '../../../src/orchestrator/fingerprints.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';

const jira = (over: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'jira',
  deliveryId: 'd',
  kind: 'incident.updated',
  vendorEvent: 'jira:issue_updated',
  recordId: '10042',
  number: 'PAY-42',
  priority: 1,
  state: 'in_progress',
  updatedAt: '2026-11-20T11:10:00Z',
  receivedAt: '2026-11-20T11:10:01Z',
  changedFields: ['status'],
  ...over,
});
const set = (...f: WrittenField[]) => new Set<WrittenField>(f);

describe('fingerprints', () => {
  it('checks the fields the changelog names, by field id, with the values the event carries', () => {
    expect(candidatePairs(jira())).toEqual([['state', 'in_progress']]);
    expect(candidatePairs(jira({ changedFields: ['resolution', 'status'], state: 'resolved' }))).toEqual([
      ['state', 'resolved'],
    ]);
    expect(candidatePairs(jira({ changedFields: ['priority', 'summary'] }))).toEqual([['priority', '1']]);
  });

  it('checks every written field a ServiceNow delivery carries when it does not say what changed', () => {
    const e = jira({
      source: 'servicenow',
      changedFields: [],
      state: 'resolved',
      majorIncidentState: 'accepted',
      priority: 2,
    });
    expect(candidatePairs(e)).toEqual([
      ['state', 'resolved'],
      ['major_incident_state', 'accepted'],
      ['priority', '2'],
    ]);
  });

  it('is wholly ours only when every changed field matched and there is no comment', () => {
    expect(isWhollyOurs(jira({ changedFields: ['resolution', 'status'] }), set('state'))).toBe(true);
    expect(isWhollyOurs(jira({ changedFields: ['status', 'assignee'] }), set('state'))).toBe(false);
    expect(isWhollyOurs(jira({ comment: { body: 'x', visibility: 'public' } }), set('state'))).toBe(false);
    expect(isWhollyOurs(jira({ changedFields: [] }), set('state'))).toBe(false);
    expect(isWhollyOurs(jira(), set())).toBe(false);
  });

  it('takes the fields we wrote out of an event so they decide nothing, keeping the rest', () => {
    const e = withoutOurs(jira({ changedFields: ['status', 'assignee'] }), set('state'));
    expect(e.state).toBeUndefined();
    expect(e.changedFields).toEqual(['assignee']);
    expect(e.priority).toBe(1);
    expect(withoutOurs(jira(), set())).toEqual(jira());
  });
});
