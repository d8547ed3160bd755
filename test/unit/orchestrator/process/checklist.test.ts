import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEMS, checklist, unmet } from '../../../../src/process/checklist.ts';
import { at, declaredMi, entry } from './mi-fixture.ts';

const byId = (items: ReturnType<typeof checklist>) => Object.fromEntries(items.map((i) => [i.id, i]));

describe('the mobilisation checklist', () => {
  it('lists every item in order, only declared done for a bare declared major incident without roles', () => {
    const items = checklist(declaredMi({ roles: {} }), []);
    expect(items.map((i) => i.id)).toEqual([...CHECKLIST_ITEMS]);
    expect(items.filter((i) => i.done).map((i) => i.id)).toEqual(['declared']);
    expect(byId(items).declared!.at).toBe(at('09:05'));
    expect(unmet(items).map((i) => i.id)).toEqual([
      'pageAcknowledged',
      'technicalTicket',
      'rolesAssigned',
      'firstCommunication',
    ]);
  });

  it("is all done from the timeline: ack at PagerDuty's time, the Jira issue, roles, the first message", () => {
    const timeline = [
      entry('roles.assigned', '09:05', { roles: { majorIncidentManager: 'm', commsLead: 'c' } }),
      entry('action.completed', '09:06', { do: 'jira.create_issue', key: 'PAY-1' }),
      entry('action.completed', '09:07', { do: 'notify', channel: 'C1' }),
      entry('page.acknowledged', '09:11', { occurredAt: at('09:09') }),
    ];
    const items = byId(checklist(declaredMi(), timeline));
    expect(unmet(Object.values(items))).toEqual([]);
    expect(items.pageAcknowledged!.at).toBe(at('09:09'));
    expect(items.technicalTicket!.at).toBe(at('09:06'));
    expect(items.rolesAssigned!.at).toBe(at('09:05'));
    expect(items.firstCommunication!.at).toBe(at('09:07'));
  });

  it('does not count a skipped message or a skipped Jira issue', () => {
    const timeline = [
      entry('action.completed', '09:06', { do: 'jira.create_issue', skipped: 'service payroll names no Jira project' }),
      entry('action.completed', '09:07', { do: 'notify', skipped: 'no channel' }),
      entry('action.dead_lettered', '09:08', { do: 'notify', code: 'INVALID_INPUT' }),
    ];
    const items = byId(checklist(declaredMi(), timeline));
    expect(items.technicalTicket!.done).toBe(false);
    expect(items.firstCommunication!.done).toBe(false);
  });

  it("does not count a timer's message to one person (the escalation email) as the first communication", () => {
    const timeline = [
      entry('action.completed', '09:10', { do: 'notify', channel: 'mim@example.edu', template: 'escalation' }),
      entry('action.completed', '09:20', { do: 'notify', channel: 'mim@example.edu', template: 'mobilisation' }),
    ];
    expect(byId(checklist(declaredMi(), timeline)).firstCommunication!.done).toBe(false);
    const sent = [
      ...timeline,
      entry('action.completed', '09:25', { do: 'notify', channel: 'C1', template: 'declared' }),
    ];
    expect(byId(checklist(declaredMi(), sent)).firstCommunication!.at).toBe(at('09:25'));
  });

  it('counts the ticket of a Jira-origin major incident from its creation', () => {
    const items = byId(checklist(declaredMi({ origin: { source: 'jira', recordId: '10001', number: 'PAY-7' } }), []));
    expect(items.technicalTicket).toMatchObject({ done: true, at: at('09:02') });
  });

  it('takes the roles as done when a later change names both, not when the first entry missed one', () => {
    const timeline = [
      entry('roles.assigned', '09:05', { roles: { majorIncidentManager: 'm' } }),
      entry('roles.changed', '09:10', { from: { resolverGroup: null }, to: { resolverGroup: 'Payroll Platform' } }),
      entry('roles.changed', '09:20', { from: { commsLead: null }, to: { commsLead: 'c' }, by: 'ann' }),
      entry('roles.changed', '09:30', { from: { commsLead: 'c' }, to: { commsLead: 'd' }, by: 'ann' }),
    ];
    expect(byId(checklist(declaredMi(), timeline)).rolesAssigned!.at).toBe(at('09:20'));
    expect(byId(checklist(declaredMi({ roles: { majorIncidentManager: 'm' } }), timeline)).rolesAssigned!.done).toBe(
      false,
    );
  });

  it('has nothing done for a candidate', () => {
    const { declaredAt: _, ...candidate } = declaredMi({ state: 'candidate', roles: {} });
    expect(unmet(checklist(candidate, [])).map((i) => i.id)).toEqual([...CHECKLIST_ITEMS]);
  });
});
