import { describe, expect, it } from 'vitest';
import { finalMeasures, measureEntry } from '../../../../src/process/record-measures.ts';
import { declaredMi, entry } from './mi-fixture.ts';

const ticks = [
  entry('cadence.tick', '09:35', { n: 1, overdue: false }),
  entry('cadence.tick', '10:05', { n: 2, overdue: true }),
];

describe('the measures final now', () => {
  it('holds back cadence adherence while the major incident is open', () => {
    expect(finalMeasures(declaredMi(), ticks)).toEqual({ timeToDeclare: 300_000 });
  });

  it('gives cadence adherence once it is resolved', () => {
    expect(
      finalMeasures(declaredMi({ state: 'resolved', resolvedAt: '2026-03-02T10:10:00.000Z' }), ticks),
    ).toMatchObject({ cadenceAdherence: 0.5 });
  });
});

describe('the measure.recorded entry', () => {
  it('carries ms for a time and ratio for adherence', () => {
    const now = new Date('2026-03-02T10:00:00.000Z');
    expect(measureEntry('timeToMobilise', 420_000, now)).toEqual({
      at: '2026-03-02T10:00:00.000Z',
      kind: 'measure.recorded',
      actor: { type: 'system', id: 'measures' },
      detail: { measure: 'timeToMobilise', ms: 420_000, text: '7m' },
    });
    expect(measureEntry('cadenceAdherence', 0.5, now).detail).toEqual({
      measure: 'cadenceAdherence',
      ratio: 0.5,
      text: '50%',
    });
  });
});
