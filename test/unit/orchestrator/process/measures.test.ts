import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMeasure,
  formatMeasures,
  measures,
  percentile,
  summarise,
  type SummaryRow,
} from '../../../../src/process/measures.ts';
import { declaredMi, entry } from './mi-fixture.ts';

const MIN = 60_000;

describe('the measures of a major incident', () => {
  it('has only time to declare right after declaration', () => {
    expect(measures(declaredMi(), [])).toEqual({ timeToDeclare: 5 * MIN });
  });

  it('measures mobilisation and first communication from declaration, resolution from detection', () => {
    const mi = declaredMi({ state: 'resolved', resolvedAt: '2026-03-02T11:00:00.000Z' });
    const timeline = [
      entry('action.completed', '09:08', { do: 'notify' }),
      entry('page.acknowledged', '09:14', { occurredAt: '2026-03-02T09:12:00.000Z' }),
      entry('cadence.tick', '09:35', { n: 1, overdue: false }),
      entry('cadence.tick', '10:05', { n: 2, overdue: true }),
      entry('cadence.tick', '10:35', { n: 3, overdue: false }),
      entry('cadence.tick', '11:05', { n: 4, overdue: false }),
    ];
    expect(measures(mi, timeline)).toEqual({
      timeToDeclare: 5 * MIN,
      timeToMobilise: 7 * MIN,
      timeToFirstCommunication: 3 * MIN,
      timeToResolve: 120 * MIN,
      cadenceAdherence: 0.75,
    });
  });

  it('gives a candidate that never was declared no measure, even once it is canceled with a resolution time', () => {
    const { declaredAt: _, ...candidate } = declaredMi({ state: 'canceled', resolvedAt: '2026-03-02T10:00:00.000Z' });
    expect(measures(candidate, [entry('action.completed', '09:08', { do: 'notify' })])).toEqual({});
  });

  it('never gives a negative time (an acknowledgement stamped before declaration by a skewed clock)', () => {
    expect(
      measures(declaredMi(), [entry('page.acknowledged', '09:06', { occurredAt: '2026-03-02T09:04:00.000Z' })])
        .timeToMobilise,
    ).toBe(0);
  });
});

describe('percentile (nearest rank)', () => {
  it('picks the ranked value', () => {
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([42], 90)).toBe(42);
  });
});

describe('summarise', () => {
  const row = (serviceId: string, state: string, m: SummaryRow['measures'], declared = true): SummaryRow => ({
    serviceId,
    state,
    declared,
    measures: m,
  });

  it('groups per service (sorted), counts states, and summarises only declared ones', () => {
    const rows = [
      row('payroll', 'closed', { timeToDeclare: 1 * MIN, timeToResolve: 60 * MIN }),
      row('identity', 'rejected', {}, false),
      row('payroll', 'resolved', { timeToDeclare: 3 * MIN, timeToResolve: 30 * MIN }),
      row('payroll', 'declared', { timeToDeclare: 2 * MIN }),
      // A candidate's stray measure must not count.
      row('payroll', 'rejected', { timeToDeclare: 99 * MIN }, false),
      row('payroll', 'canceled', {}, false),
    ];
    expect(summarise(rows)).toEqual([
      { serviceId: 'identity', count: 1, declared: 0, states: { rejected: 1 }, measures: {} },
      {
        serviceId: 'payroll',
        count: 5,
        declared: 3,
        states: { closed: 1, resolved: 1, declared: 1, rejected: 1, canceled: 1 },
        measures: {
          timeToDeclare: { count: 3, median: 2 * MIN, p90: 3 * MIN },
          timeToResolve: { count: 2, median: 30 * MIN, p90: 60 * MIN },
        },
      },
    ]);
  });

  it('is empty for no rows', () => {
    expect(summarise([])).toEqual([]);
  });
});

describe('formatting', () => {
  it('shows the two largest units of a duration', () => {
    expect(formatDuration(800)).toBe('800ms');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(3 * MIN + 20_000)).toBe('3m 20s');
    expect(formatDuration(65 * MIN)).toBe('1h 5m');
    expect(formatDuration(60 * MIN + 5_000)).toBe('1h');
    expect(formatDuration(26 * 60 * MIN + 30 * MIN)).toBe('1d 2h');
  });

  it('shows adherence as a percentage', () => {
    expect(formatMeasure('cadenceAdherence', 0.75)).toBe('75%');
    expect(formatMeasures({ timeToDeclare: 5 * MIN, cadenceAdherence: 1 })).toEqual({
      timeToDeclare: '5m',
      cadenceAdherence: '100%',
    });
  });
});
