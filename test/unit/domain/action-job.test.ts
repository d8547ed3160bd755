import { describe, expect, it } from 'vitest';
import { ActionEnvelope, ActionJob } from '../../../src/domain/action.ts';
import { PlaybookStep } from '../../../src/config/files/schema-playbooks.ts';

const base = { majorIncidentId: 'MI-2026-0001', effect: 'declare', step: 0, round: 0 };

/** Job data as earlier versions wrote it to the outbox and the queues (one per producer and action). */
const QUEUED = [
  { ...base, do: 'servicenow.set_major_state', target: 'servicenow', params: { value: 'accepted' } },
  { ...base, do: 'servicenow.work_note', target: 'servicenow', params: { template: 'declared' } },
  {
    ...base,
    do: 'servicenow.work_note',
    target: 'servicenow',
    channel: 'declare/slack/#ops',
    params: { text: 'mim-bridge sent …', visibility: 'internal' },
  },
  {
    ...base,
    do: 'servicenow.comment',
    target: 'servicenow',
    channel: 'jira/10001/c1',
    params: { text: '[Jira OPS-1, Ann] hi', visibility: 'public' },
  },
  { ...base, do: 'servicenow.create_incident', target: 'servicenow', params: { template: 'declared' } },
  { ...base, do: 'servicenow.resolve', target: 'servicenow', params: { closeCode: 'Solution provided' } },
  {
    ...base,
    do: 'servicenow.link_child',
    target: 'servicenow',
    channel: 'servicenow/x',
    params: { childSysId: 'c'.repeat(32), childNumber: 'INC0010002' },
  },
  {
    ...base,
    do: 'servicenow.set_priority',
    target: 'servicenow',
    channel: 'priority/jira',
    params: { priority: 1, impact: 1, urgency: 1 },
  },
  { ...base, do: 'jira.create_issue', target: 'jira', params: {} },
  { ...base, do: 'jira.comment', target: 'jira', params: { text: 'note', visibility: 'internal' } },
  { ...base, do: 'jira.transition', target: 'jira', params: { to: 'done' } },
  { ...base, do: 'jira.remote_link', target: 'jira', effect: 'follow', channel: 'servicenow-record', params: {} },
  { ...base, do: 'jira.create_pir', target: 'jira', params: { dueDays: 5 } },
  { ...base, do: 'jira.link_child', target: 'jira', channel: 'jira/2', params: { childKey: 'OPS-2' } },
  {
    ...base,
    do: 'jira.set_priority',
    target: 'jira',
    channel: 'priority/servicenow',
    params: { priority: 2, name: 'High', fieldId: 'priority' },
  },
  { ...base, do: 'pagerduty.trigger', target: 'pagerduty', params: { escalation: false } },
  {
    ...base,
    do: 'pagerduty.trigger',
    target: 'pagerduty',
    effect: 'timer-ack',
    round: 2,
    params: { escalation: true, n: 2 },
  },
  { ...base, do: 'pagerduty.acknowledge', target: 'pagerduty', params: {} },
  { ...base, do: 'pagerduty.resolve', target: 'pagerduty', params: {} },
  {
    ...base,
    do: 'notify',
    target: 'slack',
    audience: 'payroll-admins',
    channel: '#payroll',
    params: { template: 'declared', register: 'business' },
  },
  {
    ...base,
    do: 'notify',
    target: 'email',
    effect: 'timer-ack',
    channel: 'mim@example.edu',
    params: { template: 'escalation', register: 'technical' },
  },
];

describe('ActionJob: one shape per action', () => {
  it('parses, unchanged, the job data every producer of an earlier version queued', () => {
    for (const job of QUEUED) expect(ActionJob.parse(job)).toEqual(job);
  });

  it(
    'takes every playbook action with every parameter its step allows as the params of its job ' +
      '(what fan-out does)',
    () => {
      const steps = [
        { do: 'servicenow.set_major_state', value: 'accepted' },
        { do: 'servicenow.work_note', template: 'declared' },
        { do: 'servicenow.comment', template: 'declared' },
        { do: 'servicenow.create_incident', template: 'declared' },
        { do: 'servicenow.resolve', template: 'resolved', closeCode: 'Workaround' },
        { do: 'jira.create_issue', template: 'declared' },
        { do: 'jira.comment', template: 'update' },
        { do: 'jira.transition', to: 'done' },
        { do: 'jira.remote_link' },
        { do: 'jira.clear_major_incident' },
        { do: 'jira.create_pir', template: 'pir', dueDays: 3 },
        { do: 'pagerduty.trigger', escalation: true },
        { do: 'pagerduty.acknowledge' },
        { do: 'pagerduty.resolve' },
        { do: 'servicenow.announce', template: 'declared' },
        { do: 'servicenow.retire_announcement', template: 'resolved' },
      ].map((s) => PlaybookStep.parse(s));
      // Every playbook action but notify (a job per channel) is listed once.
      expect(new Set(steps.map((s) => s.do)).size).toBe(PlaybookStep.options.length - 1);
      for (const step of steps) {
        // The audiences a step names become a job each (fan-out), not a parameter.
        const { do: action, audiences: _audiences, ...params } = step as typeof step & { audiences?: unknown };
        const job = { ...base, do: action, target: action.split('.')[0], params };
        expect(ActionJob.parse(job)).toEqual(job);
      }
    },
  );

  it(
    'refuses a misspelt, missing or mistyped parameter, an unknown action and an action on another target, naming ' +
      'the path',
    () => {
      const issue = (job: unknown) => {
        const r = ActionJob.safeParse(job);
        return r.success ? undefined : r.error.issues.map((i) => i.path.join('.'));
      };
      expect(issue({ ...base, do: 'jira.link_child', target: 'jira', params: { childkey: 'OPS-2' } })).toEqual([
        'params.childKey',
      ]);
      expect(
        issue({ ...base, do: 'jira.set_priority', target: 'jira', params: { priority: 'high', name: 'High' } }),
      ).toEqual(['params.priority']);
      expect(issue({ ...base, do: 'jira.comment', target: 'jira', params: { visibility: 'everyone' } })).toEqual([
        'params.visibility',
      ]);
      expect(issue({ ...base, do: 'notify', target: 'jira', params: { template: 'declared' } })).toEqual(['target']);
      expect(issue({ ...base, do: 'jira.explode', target: 'jira', params: {} })).toEqual(['do']);
      // The envelope the relay routes and a dead letter keeps still takes it: the worker dead-letters it, nothing is
      // lost.
      expect(ActionEnvelope.safeParse({ ...base, do: 'jira.explode', target: 'jira', params: {} }).success).toBe(true);
    },
  );
});
