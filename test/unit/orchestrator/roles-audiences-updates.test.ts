import { describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { planRoleSync } from '../../../src/orchestrator/apply-role-sync.ts';
import { changeAudiences } from '../../../src/orchestrator/audience-changes.ts';
import { latestUpdateFrom } from '../../../src/orchestrator/latest-update.ts';
import { isOurNoteText } from '../../../src/orchestrator/our-notes.ts';
import { messageVars } from '../../../src/actions/message-vars.ts';
import { writeBack, writeBackJob, writeBackText } from '../../../src/actions/write-back.ts';
import type { ActionJob, ActionOf } from '../../../src/domain/action.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';

const SYS = 'a0000000000000000000000000000001';
const mi: MajorIncident = {
  id: 'MI-0001-payroll',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll down',
  priority: 1,
  origin: { source: 'servicenow', recordId: SYS, number: 'INC0010042' },
  configVersion: 'v1',
  roles: {
    majorIncidentManager: 'mim@x',
    commsLead: 'comms@x',
    serviceOwner: 'owner@x',
    resolverGroup: 'Payroll Platform',
  },
  links: { jira: { key: 'PAY-42', id: '10042' } },
  detectedAt: '2026-11-20T09:00:00Z',
  createdAt: '2026-11-20T09:00:00Z',
  declaredAt: '2026-11-20T09:00:00Z',
  updatedAt: '2026-11-20T09:00:00Z',
};
const ev = (o: Partial<IncidentEvent> = {}): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: 'd1',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: SYS,
  number: 'INC0010042',
  updatedAt: '2026-11-20T09:10:00Z',
  updatedBy: 'fred.luddy',
  changedFields: [],
  receivedAt: '2026-11-20T09:10:01Z',
  ...o,
});

describe('planRoleSync: ServiceNow assignment_group → resolver group', () => {
  it('a changed assignment_group on the origin changes the role', () => {
    expect(
      planRoleSync(mi, ev({ assignmentGroup: 'Database Team', changedFields: ['assignment_group'] }), undefined),
    ).toEqual({
      kind: 'change',
      from: 'Payroll Platform',
      to: 'Database Team',
      seen: { value: 'Database Team', at: '2026-11-20T09:10:00Z' },
    });
  });

  it('without a changed list, a value different from the role (nothing read yet) is a change', () => {
    expect(planRoleSync(mi, ev({ assignmentGroup: 'Database Team' }), undefined)).toMatchObject({
      kind: 'change',
      to: 'Database Team',
    });
    expect(planRoleSync(mi, ev({ assignmentGroup: 'Payroll Platform' }), undefined)).toEqual({
      kind: 'seen',
      seen: { value: 'Payroll Platform', at: '2026-11-20T09:10:00Z' },
    });
  });

  it('an unrelated update carrying the same group as last read does not undo a role set through the admin API', () => {
    const changed = { ...mi, roles: { ...mi.roles, resolverGroup: 'Network Team' } };
    expect(
      planRoleSync(changed, ev({ assignmentGroup: 'Payroll Platform' }), {
        value: 'Payroll Platform',
        at: '2026-11-20T09:00:00Z',
      }),
    ).toEqual({ kind: 'none' });
    expect(
      planRoleSync(changed, ev({ assignmentGroup: 'Payroll Platform', changedFields: ['priority'] }), undefined),
    ).toMatchObject({ kind: 'seen' });
  });

  it('never from a child, from Jira, from an older delivery, or on a closed major incident', () => {
    expect(
      planRoleSync(
        mi,
        ev({ recordId: 'b0000000000000000000000000000009', assignmentGroup: 'X', changedFields: ['assignment_group'] }),
        undefined,
      ),
    ).toEqual({ kind: 'none' });
    expect(planRoleSync(mi, ev({ source: 'jira', recordId: '10042', assignmentGroup: 'X' }), undefined)).toEqual({
      kind: 'none',
    });
    expect(
      planRoleSync(mi, ev({ assignmentGroup: 'X', changedFields: ['assignment_group'] }), {
        value: 'Y',
        at: '2026-11-20T09:20:00Z',
      }),
    ).toEqual({ kind: 'none' });
    expect(
      planRoleSync(
        { ...mi, state: 'closed' },
        ev({ assignmentGroup: 'X', changedFields: ['assignment_group'] }),
        undefined,
      ),
    ).toEqual({ kind: 'none' });
  });

  it('the ServiceNow record made for a Jira-origin major incident speaks for it too', () => {
    const jiraOrigin: MajorIncident = {
      ...mi,
      origin: { source: 'jira', recordId: '10007', number: 'PAY-7' },
      links: { servicenow: { sysId: SYS, number: 'INC0020001' } },
    };
    expect(
      planRoleSync(
        jiraOrigin,
        ev({ assignmentGroup: 'Database Team', changedFields: ['assignment_group'] }),
        undefined,
      ),
    ).toMatchObject({ kind: 'change' });
  });
});

describe('latestUpdateFrom: the latest public update', () => {
  const comment = (body: string, visibility: 'public' | 'internal' = 'public', id?: string) => ({
    body,
    visibility,
    author: 'fred.luddy',
    ...(id ? { id } : {}),
  });

  it('a public comment on the origin, or on the Jira counterpart, is the latest update', () => {
    expect(
      latestUpdateFrom(mi, ev({ kind: 'comment.created', comment: comment(' Failover done ') }), undefined),
    ).toEqual({
      text: 'Failover done',
      author: 'fred.luddy',
      at: '2026-11-20T09:10:00Z',
      source: 'servicenow',
      record: 'INC0010042',
    });
    expect(
      latestUpdateFrom(
        mi,
        ev({
          source: 'jira',
          recordId: '10042',
          number: 'PAY-42',
          kind: 'comment.created',
          comment: comment('Jira says', 'public', '30001'),
        }),
        undefined,
      ),
    ).toMatchObject({ text: 'Jira says', source: 'jira', record: 'PAY-42', commentId: '30001' });
  });

  it('not an internal note, not a child, not ours, not older than the one held', () => {
    expect(
      latestUpdateFrom(mi, ev({ kind: 'comment.created', comment: comment('internal', 'internal') }), undefined),
    ).toBeUndefined();
    expect(
      latestUpdateFrom(
        mi,
        ev({ recordId: 'b0000000000000000000000000000009', kind: 'comment.created', comment: comment('child') }),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      latestUpdateFrom(
        mi,
        ev({ kind: 'comment.created', comment: comment('[Jira PAY-42, someone] mirrored') }),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      latestUpdateFrom(
        mi,
        ev({ kind: 'comment.created', comment: comment('mim-bridge sent "x" to y at 09:05 UTC') }),
        undefined,
      ),
    ).toBeUndefined();
    const held = {
      text: 'newer',
      author: 'a',
      at: '2026-11-20T09:30:00Z',
      source: 'servicenow' as const,
      record: 'INC0010042',
    };
    expect(latestUpdateFrom(mi, ev({ kind: 'comment.created', comment: comment('older') }), held)).toBeUndefined();
  });

  it('an edit counts only for the comment that is the latest update', () => {
    const held = {
      text: 'first',
      author: 'a',
      at: '2026-11-20T09:30:00Z',
      source: 'jira' as const,
      record: 'PAY-42',
      commentId: '30001',
    };
    const edit = (id: string) =>
      ev({
        source: 'jira',
        recordId: '10042',
        number: 'PAY-42',
        kind: 'comment.updated',
        comment: comment('edited', 'public', id),
      });
    expect(latestUpdateFrom(mi, edit('30001'), held)).toMatchObject({ text: 'edited', commentId: '30001' });
    expect(latestUpdateFrom(mi, edit('30002'), held)).toBeUndefined();
  });
});

describe('changeAudiences', () => {
  const service = ['payroll-users', 'finance-leaders'];
  it('stores additions beyond the service and removals of its audiences; each undoes the other', () => {
    const one = changeAudiences(undefined, service, {
      add: ['library-staff', 'payroll-users'],
      remove: ['finance-leaders', 'all-staff'],
    });
    expect(one).toEqual({ added: ['library-staff'], removed: ['finance-leaders'] });
    expect(changeAudiences(one, service, { add: ['finance-leaders'], remove: ['library-staff'] })).toEqual({
      added: [],
      removed: [],
    });
  });
});

describe('roles and the latest update in messages', () => {
  it('messageVars carries every role and the update, keeping the existing keys', () => {
    const vars = messageVars(
      mi,
      { name: 'Payroll', tier: 1 },
      { text: 't', author: 'a', at: '2026-11-20T09:10:00Z', source: 'servicenow', record: 'INC0010042' },
    );
    expect(vars.mi).toMatchObject({
      manager: 'mim@x',
      comms_lead: 'comms@x',
      service_owner: 'owner@x',
      resolver_group: 'Payroll Platform',
      summary: 'Payroll down',
    });
    expect(vars.update).toEqual({ text: 't', author: 'a', at: '2026-11-20T09:10:00Z' });
    expect(messageVars({ ...mi, roles: {} }, undefined).update).toEqual({ text: '', author: '', at: '' });
  });
});

describe('the note written back after a message', () => {
  const notify = (o: Partial<ActionOf<'notify'>>): ActionJob => ({
    majorIncidentId: mi.id,
    do: 'notify',
    effect: 'declare',
    step: 6,
    target: 'slack',
    params: { template: 'declared' },
    round: 0,
    ...o,
  });
  const at = new Date('2026-11-20T09:05:42Z');

  it('names the audience and where, never a secret', () => {
    expect(
      writeBackText(
        notify({ channel: '#payroll-status', audience: 'payroll-users' }),
        'Major incident: Payroll down (P1)',
        'Payroll administrators',
        at,
      ),
    ).toBe(
      'mim-bridge sent "Major incident: Payroll down (P1)" to Payroll administrators (Slack #payroll-status) at ' +
        '09:05 UTC',
    );
    const teams = writeBackText(
      notify({ target: 'teams', channel: 'MIM_ROUTE_TEAMS_FINANCE', audience: 'finance-leaders' }),
      'T',
      'Finance leadership',
      at,
    );
    expect(teams).toBe('mim-bridge sent "T" to Finance leadership (Teams) at 09:05 UTC');
    expect(
      writeBackText(notify({ target: 'email', channel: 'a@x.edu,b@x.edu', audience: 'it' }), 'T', undefined, at),
    ).toBe('mim-bridge sent "T" to it (email a@x.edu, b@x.edu) at 09:05 UTC');
    expect(isOurNoteText(teams)).toBe(true);
  });

  it("leaves a receipt for the round's one work note, keyed by the notify job's id", () => {
    const job = notify({ channel: '#payroll-status', audience: 'payroll-users' });
    const [receipt] = writeBack(mi, job, 'Major incident: Payroll down (P1)', 'Payroll administrators', at);
    // The round note (orchestrator/round-note.ts) reads the line by the message's job id and adds the prefix.
    expect(receipt).toEqual({
      majorIncidentId: mi.id,
      do: 'servicenow.work_note',
      target: 'servicenow',
      effect: 'sent',
      step: 6,
      round: 0,
      channel: `receipt/${actionJobId(job)}`,
      params: {
        text: '"Major incident: Payroll down (P1)" to Payroll administrators (Slack #payroll-status) at 09:05 UTC',
        visibility: 'internal',
      },
    });
    // The same notify retried: the same id (left once); another channel or round: another id.
    expect(actionJobId(writeBackJob(mi, job, 'text at 09:06'))).toBe(actionJobId(receipt!));
    expect(actionJobId(writeBackJob(mi, { ...job, channel: '#service-desk' }, 'text'))).not.toBe(actionJobId(receipt!));
    expect(actionJobId(writeBackJob(mi, { ...job, round: 3 }, 'text'))).not.toBe(actionJobId(receipt!));
    // A Jira-origin major incident: the same receipt, for the Jira worker, which writes the round's one comment.
    const jiraOrigin = { ...mi, origin: { source: 'jira' as const, recordId: '10007', number: 'PAY-7' } };
    expect(writeBackJob(jiraOrigin, job, 'text')).toEqual({
      majorIncidentId: mi.id,
      do: 'jira.comment',
      target: 'jira',
      effect: 'sent',
      step: 6,
      round: 0,
      channel: `receipt/${actionJobId(job)}`,
      params: { text: 'text', visibility: 'internal' },
    });
  });
});

describe('writeBack', () => {
  it("writes back a message to an audience, never a timer's message to one person", async () => {
    const { writeBack } = await import('../../../src/actions/write-back.ts');
    const at = new Date('2026-11-20T09:05:00Z');
    const base: ActionJob = {
      majorIncidentId: mi.id,
      do: 'notify',
      effect: 'declare',
      step: 6,
      target: 'slack',
      channel: '#s',
      params: {},
      round: 0,
    };
    expect(writeBack(mi, { ...base, audience: 'service-desk' }, 'T', 'Service Desk', at)).toHaveLength(1);
    expect(
      writeBack(
        mi,
        { ...base, target: 'email', channel: 'mim-oncall@example.edu', effect: 'timer-escalation' },
        'T',
        undefined,
        at,
      ),
    ).toEqual([]);
  });
});
