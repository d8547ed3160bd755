import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';
import { communications } from '../../../src/http/admin/communications.ts';
import { boardOrder, miFacts, type FactsInput } from '../../../src/http/admin/mi-facts.ts';
import type { DeadLetter } from '../../../src/queue/actions/dead-letters.ts';
import { at, declaredMi, entry } from '../orchestrator/process/mi-fixture.ts';

const SN = 'https://example.service-now.com';
const origin = 'a'.repeat(32);
const child = 'b'.repeat(32);
const by = (e: TimelineEntry, type: TimelineEntry['actor']['type'], id: string): TimelineEntry => ({
  ...e,
  actor: { type, id },
});

const input = (over: Partial<FactsInput> = {}): FactsInput => ({
  mi: declaredMi({
    priority: 1,
    links: { slack: { '#payroll-status': 'CG40AJ9KTH7/1796570537.801000', '#typo': 'not-an-id' } },
  }),
  timeline: [],
  // The store returns the origin record among the children (role origin): it is not an attached incident.
  children: [
    {
      incidentKey: `servicenow/${origin}`,
      source: 'servicenow',
      recordId: origin,
      number: 'INC0010001',
      role: 'origin',
    },
    { incidentKey: `servicenow/${child}`, source: 'servicenow', recordId: child, number: 'INC0010002', role: 'child' },
  ],
  deadLetters: 0,
  checklist: [],
  deadlines: [],
  urls: {},
  bases: { servicenow: SN },
  ...over,
});

describe('the facts of a major incident', () => {
  it('attaches the children without the origin record, each with a link into its system', () => {
    expect(miFacts(input()).attached).toEqual([
      { source: 'servicenow', recordId: child, number: 'INC0010002', url: `${SN}/incident.do?sys_id=${child}` },
    ]);
  });

  it('names who acknowledged the page, who the record is assigned to and who set the resolver group, as the vendors said', () => {
    const timeline = [
      by(entry('state.changed', '09:05', { from: 'none', to: 'declared' }), 'rule', 'p1'),
      by(entry('page.acknowledged', '09:08'), 'source', 'pagerduty:Dana Okafor (on call)'),
      by(
        entry('roles.changed', '09:09', {
          field: 'assignment_group',
          to: { resolverGroup: 'Payroll Platform' },
        }),
        'source',
        'servicenow:beth.anglin',
      ),
    ];
    const assignee = { name: 'Beth Anglin', at: at('09:07'), record: 'INC0010001' };
    const facts = miFacts(input({ timeline, assignee }));
    expect(facts.acknowledgedBy).toEqual({ name: 'Dana Okafor (on call)', at: at('09:08') });
    expect(facts.people).toEqual([
      { role: 'acknowledged the page', name: 'Dana Okafor (on call)', source: 'PagerDuty', at: at('09:08') },
      { role: 'assigned INC0010001', name: 'Beth Anglin', source: 'ServiceNow', at: at('09:07') },
      {
        role: 'resolver group, assigned by beth.anglin',
        name: 'Payroll Platform',
        source: 'ServiceNow',
        at: at('09:09'),
      },
    ]);
    expect(facts.lead).toBe('mim@example.edu');
  });

  it('forgets the acknowledgement from before a re-open, and says it was re-opened', () => {
    const timeline = [
      entry('state.changed', '09:05', { from: 'none', to: 'declared' }),
      by(entry('page.acknowledged', '09:08'), 'source', 'pagerduty:Dana Okafor'),
      entry('state.changed', '09:20', { from: 'declared', to: 'resolved' }),
      entry('state.changed', '09:30', { from: 'resolved', to: 'declared' }),
    ];
    const facts = miFacts(input({ timeline }));
    expect(facts.acknowledgedBy).toBeUndefined();
    expect(facts.reopened).toEqual({ at: at('09:30'), by: 'test', count: 1 });
    expect(facts.stateSince).toBe(at('09:30'));
  });

  it('links only well-formed Slack channel ids, and counts conflicts', () => {
    const facts = miFacts(input({ timeline: [entry('sync.conflict', '09:10'), entry('sync.conflict', '09:11')] }));
    expect(facts.links.slack).toEqual([
      { channel: '#payroll-status', url: 'https://slack.com/app_redirect?channel=CG40AJ9KTH7' },
      { channel: '#typo' },
    ]);
    expect(facts.conflicts).toBe(2);
  });

  it('orders the board by priority, then oldest first, one without a priority last', () => {
    const f = (id: string, priority: number | undefined, createdAt: string) =>
      miFacts(input({ mi: declaredMi({ id, createdAt, ...(priority ? { priority } : {}) }) }));
    const rows = [f('MI-C', 2, at('08:00')), f('MI-D', undefined, at('07:00')), f('MI-B', 1, at('09:00'))];
    rows.push(f('MI-A', 1, at('08:30')));
    expect(rows.sort(boardOrder).map((r) => r.id)).toEqual(['MI-A', 'MI-B', 'MI-C', 'MI-D']);
  });
});

describe('what was sent to whom', () => {
  const audiences = [
    { name: 'Payroll administrators', channels: { slack: ['#payroll-status'], email: ['payroll@example.edu'] } },
    { name: 'Service Desk', channels: { slack: ['#service-desk'] } },
  ];
  const letter: DeadLetter = {
    jobId: 'MI-TEST-payroll.update2.0.notify.abc',
    queue: 'mim-actions-slack',
    job: {
      majorIncidentId: 'MI-TEST-payroll',
      do: 'notify',
      effect: 'update',
      round: 2,
      step: 0,
      target: 'slack',
      channel: '#service-desk',
      params: { template: 'update' },
    },
    code: 'BAD_REQUEST',
    detail: 'channel_not_found',
    attempts: 1,
    firstAttemptAt: at('09:40'),
    deadAt: at('09:41'),
  };

  it('groups each message by audience and channel, with its time, state and link; a dead letter as failed, first', () => {
    const timeline = [
      by(
        entry('action.completed', '09:06', { do: 'notify', channel: '#payroll-status', template: 'declared' }),
        'system',
        'slack',
      ),
      by(
        entry('action.completed', '09:06', { do: 'notify', channel: 'payroll@example.edu', template: 'declared' }),
        'system',
        'email',
      ),
      by(
        entry('action.completed', '09:30', { do: 'notify', channel: '#payroll-status', template: 'update' }),
        'system',
        'slack',
      ),
      by(
        entry('action.completed', '09:10', { do: 'notify', channel: 'mim@example.edu', template: 'escalation' }),
        'system',
        'email',
      ),
      by(entry('action.completed', '09:07', { do: 'jira.create_issue' }), 'system', 'jira'),
    ];
    const slack = { '#payroll-status': 'CG40AJ9KTH7/1.2' };
    expect(communications(timeline, [letter], audiences, slack)).toEqual([
      {
        audience: 'Service Desk',
        target: 'slack',
        channel: '#service-desk',
        messages: [
          {
            at: at('09:41'),
            template: 'update',
            state: 'failed',
            code: 'BAD_REQUEST',
            detail: 'channel_not_found',
            jobId: letter.jobId,
          },
        ],
      },
      {
        audience: 'one person (escalation timer)',
        target: 'email',
        channel: 'mim@example.edu',
        messages: [{ at: at('09:10'), template: 'escalation', state: 'sent' }],
      },
      {
        audience: 'Payroll administrators',
        target: 'slack',
        channel: '#payroll-status',
        messages: [
          {
            at: at('09:06'),
            template: 'declared',
            state: 'sent',
            url: 'https://slack.com/app_redirect?channel=CG40AJ9KTH7',
          },
          {
            at: at('09:30'),
            template: 'update',
            state: 'sent',
            url: 'https://slack.com/app_redirect?channel=CG40AJ9KTH7',
          },
        ],
      },
      {
        audience: 'Payroll administrators',
        target: 'email',
        channel: 'payroll@example.edu',
        messages: [{ at: at('09:06'), template: 'declared', state: 'sent' }],
      },
    ]);
  });
});
