import { describe, expect, it } from 'vitest';
import { JiraReconcileIssue } from '../../../../src/connectors/jira/outbound-schema.ts';
import { JIRA_RECONCILE_EVENT, jiraIssueToEvent } from '../../../../src/connectors/jira/reconcile-event.ts';
import { loadFixture } from '../fixtures.ts';

const AT = new Date('2025-06-01T12:00:00.000Z');

/** The issue of a real `jira:issue_updated` delivery, as GET /issue returns it (v3: description is ADF). */
function issueRead() {
  const { body } = loadFixture('jira', 'issue_updated.resolved') as {
    body: { issue: { fields: Record<string, unknown> } };
  };
  const issue = structuredClone(body.issue);
  issue.fields.description = { type: 'doc', version: 1, content: [] };
  return issue;
}

describe('a Jira issue read back by reconciliation', () => {
  it(
    'maps like its webhook: status category, priority, component, update time; the delivery id is the issue id and ' +
      'update time',
    () => {
      const result = jiraIssueToEvent(JiraReconcileIssue.parse(issueRead()), AT);
      if (result.kind !== 'event') throw new Error(JSON.stringify(result));
      expect(result.event).toEqual({
        source: 'jira',
        deliveryId: 'jira-reconcile:10040@2019-02-16T03:15:40.477Z',
        kind: 'incident.updated',
        vendorEvent: JIRA_RECONCILE_EVENT,
        recordId: '10040',
        number: 'TES-41',
        title: expect.any(String),
        priority: 2,
        state: 'resolved',
        serviceName: 'COMP-1',
        caller: 'Test User',
        updatedAt: '2019-02-16T03:15:40.477Z',
        changedFields: [],
        receivedAt: AT.toISOString(),
      });
      expect(result.event.updatedBy).toBe(undefined);
    },
  );

  it('the same issue read twice without a change has the same delivery id (a duplicate at intake)', () => {
    const a = jiraIssueToEvent(JiraReconcileIssue.parse(issueRead()), AT);
    const b = jiraIssueToEvent(JiraReconcileIssue.parse(issueRead()), new Date(AT.getTime() + 300_000));
    expect(a.kind === 'event' && b.kind === 'event' && a.event.deliveryId === b.event.deliveryId).toBe(true);
  });

  it('an issue without fields.updated is invalid, named by path', () => {
    const issue = issueRead();
    delete issue.fields.updated;
    expect(jiraIssueToEvent(JiraReconcileIssue.parse(issue), AT)).toEqual({
      kind: 'invalid',
      issues: [{ path: 'fields.updated', message: expect.any(String) }],
    });
  });

  it('the published REST example, whose `updated` is the number 1, is refused at fields.updated', () => {
    const { body } = loadFixture('jira', 'issue.read.response');
    const parsed = JiraReconcileIssue.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['fields.updated']);
  });
});
