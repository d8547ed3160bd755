import { describe, expect, it } from 'vitest';
import { recordsToRead } from '../../../../src/reconcile/records-to-read.ts';

const SYS_ID = '9d385017c611228701d22104cc95c371';

describe('the records reconciliation reads for a major incident', () => {
  it('a ServiceNow-origin incident: its own record, and the Jira issue we created', () => {
    expect(
      recordsToRead({
        origin: { source: 'servicenow', recordId: SYS_ID, number: 'INC0010042' },
        links: { servicenow: { sysId: SYS_ID }, jira: { key: 'PAY-42', id: '10042' } },
      }),
    ).toEqual({ servicenow: [SYS_ID], jira: ['PAY-42'] });
  });

  it('a Jira-origin incident linked to its own issue reads the issue once, and the ServiceNow record we made', () => {
    expect(
      recordsToRead({
        origin: { source: 'jira', recordId: '20077', number: 'IAM-77' },
        links: { jira: { key: 'IAM-77', id: '20077' }, servicenow: { sysId: SYS_ID } },
      }),
    ).toEqual({ servicenow: [SYS_ID], jira: ['IAM-77'] });
  });

  it('a Jira-origin incident before any link: the origin issue, by key', () => {
    expect(recordsToRead({ origin: { source: 'jira', recordId: '20077', number: 'IAM-77' }, links: {} })).toEqual({
      servicenow: [],
      jira: ['IAM-77'],
    });
    expect(recordsToRead({ origin: { source: 'jira', recordId: '20077' }, links: {} })).toEqual({
      servicenow: [],
      jira: ['20077'],
    });
  });

  it('a PagerDuty-origin incident with no links reads nothing', () => {
    expect(
      recordsToRead({ origin: { source: 'pagerduty', recordId: 'Q1' }, links: { pagerduty: { dedupKey: 'k' } } }),
    ).toEqual({ servicenow: [], jira: [] });
  });
});
