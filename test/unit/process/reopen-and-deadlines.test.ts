import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';
import { checklist } from '../../../src/process/checklist.ts';
import { DEADLINE_LABELS, deadlines } from '../../../src/process/deadlines.ts';
import { measures } from '../../../src/process/measures.ts';
import { finalMeasures } from '../../../src/process/record-measures.ts';
import { currentReopen, stateSince } from '../../../src/process/reopen.ts';
import { plannedTimers, TIMER_KINDS, type TierTimers } from '../../../src/process/timers-plan.ts';
import { at, declaredMi, entry } from '../orchestrator/process/mi-fixture.ts';

const MIN = 60_000;
const TIER: TierTimers = {
  ackTimeoutMs: 5 * MIN,
  mobiliseMs: 15 * MIN,
  cadenceMs: 30 * MIN,
  pirDueMs: 5 * 24 * 60 * MIN,
  maxEscalations: 3,
  autoPost: false,
};
const moved = (time: string, from: string, to: string): TimelineEntry => ({
  ...entry('state.changed', time, { from, to }),
  actor: { type: 'source', id: 'servicenow:beth.anglin' },
});

/** Declared 09:05, acknowledged 09:08, told at 09:06, resolved 09:20, re-opened 09:30. */
const reopenedTimeline: TimelineEntry[] = [
  moved('09:05', 'none', 'declared'),
  entry('action.completed', '09:06', { do: 'notify', template: 'declared' }),
  entry('page.acknowledged', '09:08', { occurredAt: at('09:08') }),
  moved('09:20', 'declared', 'resolved'),
  moved('09:30', 'resolved', 'declared'),
];
// The record keeps its first resolution time through a re-open (movedTo keeps first times).
const reopened = declaredMi({ state: 'declared', resolvedAt: at('09:20') });

describe('measures and checklist after a re-open', () => {
  it('has no time to resolve, no mobilisation and no acknowledged page while a new acknowledgement timer runs', () => {
    expect(plannedTimers(reopened, reopenedTimeline, TIER).map((t) => t.kind)).toContain('ack');
    const m = measures(reopened, reopenedTimeline);
    expect(m).not.toHaveProperty('timeToResolve');
    expect(m).not.toHaveProperty('timeToMobilise');
    expect(m).not.toHaveProperty('timeToFirstCommunication');
    expect(m.timeToDeclare).toBe(5 * MIN);
    const items = Object.fromEntries(checklist(reopened, reopenedTimeline).map((c) => [c.id, c]));
    expect(items.pageAcknowledged).toMatchObject({ done: false });
    expect(items.pageAcknowledged).not.toHaveProperty('at');
    expect(items.firstCommunication?.done).toBe(false);
    expect(items.declared).toEqual(expect.objectContaining({ done: true, at: at('09:30') }));
  });

  it('counts mobilisation and first communication from the re-declaration once they happen again', () => {
    const timeline = [
      ...reopenedTimeline,
      entry('action.completed', '09:31', { do: 'notify', template: 'update' }),
      entry('page.acknowledged', '09:34', { occurredAt: at('09:34') }),
    ];
    expect(measures(reopened, timeline)).toMatchObject({ timeToMobilise: 4 * MIN, timeToFirstCommunication: MIN });
    expect(plannedTimers(reopened, timeline, TIER).map((t) => t.kind)).not.toContain('ack');
    expect(checklist(reopened, timeline).find((c) => c.id === 'pageAcknowledged')).toEqual(
      expect.objectContaining({ done: true, at: at('09:34') }),
    );
  });

  it('does not take cadence adherence as final while a re-open runs the cadence again', () => {
    const ticked = [...reopenedTimeline, entry('cadence.tick', '09:15', { n: 1, overdue: false })];
    expect(finalMeasures(reopened, ticked)).not.toHaveProperty('cadenceAdherence');
    expect(finalMeasures({ ...reopened, state: 'resolved' }, ticked.slice(0, 4).concat(ticked[5]!))).toHaveProperty(
      'cadenceAdherence',
      1,
    );
  });

  it('measures resolution to the last resolution once it is resolved again', () => {
    const timeline = [...reopenedTimeline, moved('09:50', 'declared', 'resolved')];
    expect(measures({ ...reopened, state: 'resolved' }, timeline).timeToResolve).toBe(50 * MIN);
  });

  it('leaves a major incident that never was re-opened as it was', () => {
    const timeline = reopenedTimeline.slice(0, 4);
    expect(measures({ ...reopened, state: 'resolved' }, timeline)).toMatchObject({
      timeToMobilise: 3 * MIN,
      timeToFirstCommunication: MIN,
      timeToResolve: 20 * MIN,
    });
    expect(currentReopen({ ...reopened, state: 'resolved' }, timeline)).toBeUndefined();
  });

  it('says when and by whom it was re-opened, and since when it is declared again', () => {
    expect(currentReopen(reopened, reopenedTimeline)).toEqual({
      at: at('09:30'),
      by: 'servicenow:beth.anglin',
      count: 1,
    });
    expect(stateSince(reopened, reopenedTimeline)).toBe(at('09:30'));
  });
});

describe('deadline labels', () => {
  it('labels every timer kind the plan makes, by what is due', () => {
    expect(Object.keys(DEADLINE_LABELS).sort()).toEqual([...TIMER_KINDS].sort());
    expect(DEADLINE_LABELS).toEqual({
      ack: 'acknowledgement due',
      mobilise: 'mobilisation due',
      cadence: 'update due',
      pir: 'PIR overdue',
    });
  });

  it('labels the planned timers of a declared major incident, soonest first', () => {
    const timeline = [moved('09:05', 'none', 'declared')];
    expect(deadlines(plannedTimers(declaredMi(), timeline, TIER))).toEqual([
      { kind: 'ack', label: 'acknowledgement due', at: at('09:10') },
      { kind: 'mobilise', label: 'mobilisation due', at: at('09:20') },
      { kind: 'cadence', label: 'update due', at: at('09:35') },
    ]);
  });

  it('labels the PIR reminder of a resolved one', () => {
    const mi = declaredMi({ state: 'resolved', resolvedAt: at('10:00') });
    expect(deadlines(plannedTimers(mi, [], TIER))).toEqual([
      { kind: 'pir', label: 'PIR overdue', at: '2026-03-07T10:00:00.000Z' },
    ]);
  });
});
