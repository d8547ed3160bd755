import { describe, expect, it } from 'vitest';
import { childLinkJobs } from '../../../src/orchestrator/child-links.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';

describe('childLinkJobs', () => {
  it('links a ServiceNow child through parent_incident and a Jira child by issue link, one job id per child', () => {
    const [sn] = childLinkJobs('MI-1', { source: 'servicenow', recordId: 'c'.repeat(32), number: 'INC7' });
    expect(sn).toEqual({
      majorIncidentId: 'MI-1',
      do: 'servicenow.link_child',
      target: 'servicenow',
      effect: 'attach',
      step: 0,
      round: 0,
      channel: `servicenow/${'c'.repeat(32)}`,
      params: { childSysId: 'c'.repeat(32), childNumber: 'INC7' },
    });
    const [jira] = childLinkJobs('MI-1', { source: 'jira', recordId: '10050', number: 'PAY-50' });
    expect(jira).toMatchObject({ do: 'jira.link_child', target: 'jira', params: { childKey: 'PAY-50' } });
    expect(actionJobId(sn!)).toBe(
      actionJobId(childLinkJobs('MI-1', { source: 'servicenow', recordId: 'c'.repeat(32) })[0]!),
    );
    expect(actionJobId(sn!)).not.toBe(
      actionJobId(childLinkJobs('MI-1', { source: 'servicenow', recordId: 'd'.repeat(32) })[0]!),
    );
    expect(childLinkJobs('MI-1', { source: 'pagerduty', recordId: 'P1' })).toEqual([]);
  });
});
