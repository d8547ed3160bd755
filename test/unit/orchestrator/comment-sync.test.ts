import { describe, expect, it } from 'vitest';
import { commentSyncJobs } from '../../../src/orchestrator/comment-sync.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';

const mi: MajorIncident = {
  id: 'MI-1',
  serviceId: 'payroll',
  state: 'declared',
  title: 't',
  origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC1' },
  configVersion: 'v',
  roles: {},
  links: { jira: { key: 'PAY-42', id: '10042' } },
  detectedAt: '2026-11-20T09:00:00Z',
  createdAt: '2026-11-20T09:00:00Z',
  updatedAt: '2026-11-20T09:00:00Z',
};
const jiraComment = (body: string, visibility: 'public' | 'internal' = 'public'): IncidentEvent => ({
  source: 'jira',
  deliveryId: 'd',
  kind: 'comment.created',
  vendorEvent: 'comment_created',
  recordId: '10042',
  number: 'PAY-42',
  updatedAt: '2026-11-20T09:05:00Z',
  receivedAt: '2026-11-20T09:05:01Z',
  changedFields: [],
  comment: { id: 'c1', author: 'Alice', body, visibility },
});

describe('commentSyncJobs', () => {
  it("mirrors a person's comment with its visibility, attributed", () => {
    expect(commentSyncJobs(mi, jiraComment('Failing over now', 'internal'))).toMatchObject([
      {
        do: 'servicenow.work_note',
        target: 'servicenow',
        params: { text: '[Jira PAY-42, Alice] Failing over now', visibility: 'internal' },
      },
    ]);
    expect(commentSyncJobs(mi, jiraComment('Fixed for most users'))).toMatchObject([{ do: 'servicenow.comment' }]);
  });

  it('never mirrors our own marked notes back, even when the account that wrote them is not known', () => {
    expect(commentSyncJobs(mi, jiraComment('[ServiceNow INC1, fred.luddy] Vendor ticket opened'))).toEqual([]);
    expect(
      commentSyncJobs(
        mi,
        jiraComment(
          'mim-bridge sent "Major incident: t (P1)" to Payroll administrators (Slack #payroll-status) at 09:05 UTC',
          'internal',
        ),
      ),
    ).toEqual([]);
  });
});
