import { describe, expect, it } from 'vitest';
import { drillRows } from '../../../../src/process/drill-report.ts';
import { SCORECARD_ENTRY, scorecard } from '../../../../src/process/scorecard.ts';
import type { ProcessTargets } from '../../../../src/process/targets.ts';
import { at, declaredMi, entry } from './mi-fixture.ts';

const MIN = 60_000;
/** Tier 1 as the shipped rules.yaml has it: acknowledge within 5 minutes, mobilise and tell within 15, update every 30. */
const targets: ProcessTargets = {
  ackMs: 5 * MIN,
  mobiliseMs: 15 * MIN,
  firstCommsMs: 15 * MIN,
  cadenceMs: 30 * MIN,
  pirDueMs: 5 * 24 * 60 * MIN,
};

/** A drill declared 09:05, resolved 10:30 and closed 10:40. */
const drill = (over = {}) =>
  declaredMi({
    id: 'MI-DRILL-payroll',
    exercise: true,
    state: 'closed',
    resolvedAt: at('10:30'),
    closedAt: at('10:40'),
    updatedAt: at('10:40'),
    ...over,
  });

/** A drill run well: acked 09:08, ticket 09:06, roles at declaration, first message 09:07, updates 09:35, 10:04. */
const wellRun = [
  entry('roles.assigned', '09:05', { roles: { majorIncidentManager: 'm', commsLead: 'c' } }),
  entry('action.completed', '09:06', { do: 'jira.create_issue', key: 'PAY-1' }),
  entry('action.completed', '09:07', { do: 'notify', channel: 'C1', template: 'declared' }),
  entry('page.acknowledged', '09:09', { occurredAt: at('09:08') }),
  entry('cadence.tick', '09:35', { n: 1, overdue: false, autoPost: false }),
  entry('update.posted', '09:34', { text: 'rolling back' }),
  entry('update.posted', '10:03', { text: 'recovering' }),
  entry('cadence.tick', '10:05', { n: 2, overdue: false, autoPost: false }),
];

describe('a closed drill’s scorecard', () => {
  it('times each milestone from the declaration against its target, and each update from the one before', () => {
    const card = scorecard(drill(), wellRun, targets);
    expect(card.acknowledge).toEqual({ ms: 3 * MIN, targetMs: 5 * MIN, met: true, text: '3m (target 5m)' });
    // Mobilised when the last checklist item was done: the acknowledgement at 09:08.
    expect(card.mobilise).toMatchObject({ ms: 3 * MIN, met: true });
    expect(card.firstCommunication).toMatchObject({ ms: 2 * MIN, targetMs: 15 * MIN, met: true });
    expect(card.updates).toEqual([
      { n: 1, at: at('09:34'), afterPreviousMs: 27 * MIN, met: true },
      { n: 2, at: at('10:03'), afterPreviousMs: 29 * MIN, met: true },
    ]);
    expect(card.cadence).toEqual({
      targetMs: 30 * MIN,
      deadlines: 2,
      missed: 0,
      beforeResolutionMs: 27 * MIN,
      met: true,
    });
    expect(card.checklistMissed).toEqual([]);
    expect(card).toMatchObject({ met: true, summary: 'every target met', closedAt: at('10:40') });
  });

  it('says what was missed: a late acknowledgement, a slow update, the checklist items never done', () => {
    const timeline = [
      entry('roles.assigned', '09:05', { roles: { majorIncidentManager: 'm', commsLead: 'c' } }),
      entry('action.completed', '09:30', { do: 'notify', channel: 'C1', template: 'declared' }),
      entry('page.acknowledged', '09:12'),
      entry('cadence.tick', '09:35', { n: 1, overdue: false }),
      entry('cadence.tick', '10:05', { n: 2, overdue: true }),
      entry('update.posted', '10:20', { text: 'late' }),
    ];
    const card = scorecard(drill(), timeline, targets);
    expect(card.acknowledge).toMatchObject({ ms: 7 * MIN, met: false, text: '7m (target 5m)' });
    // No Jira issue was ever made: never mobilised.
    expect(card.mobilise).toEqual({ targetMs: 15 * MIN, met: false, text: 'never (target 15m)' });
    expect(card.firstCommunication).toMatchObject({ ms: 25 * MIN, met: false });
    expect(card.updates).toEqual([{ n: 1, at: at('10:20'), afterPreviousMs: 50 * MIN, met: false }]);
    expect(card.cadence).toMatchObject({ deadlines: 2, missed: 1, beforeResolutionMs: 10 * MIN, met: false });
    expect(card.checklistMissed.map((i) => i.id)).toEqual(['technicalTicket', 'firstCommunication']);
    expect(card.checklistMissed[1]).toMatchObject({ at: at('09:30') });
    expect(card.met).toBe(false);
    expect(card.summary).toBe(
      'missed: acknowledge 7m (target 5m); mobilise never (target 15m); first communication 25m (target 15m); ' +
        'updates every 30m; checklist: technical ticket created, first communication sent',
    );
  });

  it('counts a silence before resolution longer than the cadence as a missed update', () => {
    const timeline = wellRun.filter((e) => e.kind !== 'update.posted');
    const card = scorecard(drill(), timeline, targets);
    expect(card.updates).toEqual([]);
    expect(card.cadence).toMatchObject({ beforeResolutionMs: 83 * MIN, missed: 0, met: false });
    expect(card.met).toBe(false);
  });

  it("counts a cadence round that posted the latest update itself (autoPost) as an update, a reminder's not", () => {
    const timeline = [
      ...wellRun.filter((e) => e.kind !== 'update.posted' && e.kind !== 'cadence.tick'),
      entry('cadence.tick', '09:35', { n: 1, overdue: false, autoPost: true }),
      entry('cadence.tick', '10:05', { n: 2, overdue: false, autoPost: false, reminded: 'c' }),
    ];
    expect(scorecard(drill(), timeline, targets).updates.map((u) => u.at)).toEqual([at('09:35')]);
  });
});

describe("the report's drills", () => {
  it('lists only the exercises, each with the scorecard its timeline holds once closed', () => {
    const real = declaredMi({ id: 'MI-REAL-payroll' });
    const open = drill({ id: 'MI-OPEN-payroll', state: 'declared', closedAt: undefined, resolvedAt: undefined });
    const closed = drill();
    const card = scorecard(closed, wellRun, targets);
    const rows = drillRows(
      [real, open, closed],
      [[], [], [...wellRun, { ...entry(SCORECARD_ENTRY, '10:40'), detail: { ...card } }]],
    );
    expect(rows).toEqual([
      {
        majorIncidentId: 'MI-OPEN-payroll',
        serviceId: 'payroll',
        title: 'Payroll down',
        state: 'declared',
        createdAt: at('09:02'),
      },
      {
        majorIncidentId: 'MI-DRILL-payroll',
        serviceId: 'payroll',
        title: 'Payroll down',
        state: 'closed',
        createdAt: at('09:02'),
        closedAt: at('10:40'),
        scorecard: card,
      },
    ]);
  });
});
