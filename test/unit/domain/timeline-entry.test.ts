import { describe, expect, it } from 'vitest';
import { timelineEntry, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { pirCompletion } from '../../../src/process/pir-events.ts';
import { measureEntry } from '../../../src/process/record-measures.ts';
import { fireTimer } from '../../../src/process/timer-fire.ts';
import { plannedTimers } from '../../../src/process/timers-plan.ts';
import { declaredMi, entry } from '../orchestrator/process/mi-fixture.ts';

const now = new Date('2026-03-02T10:00:00.000Z');
const actor = { type: 'system', id: 'timers' } as const;

describe('timelineEntry', () => {
  it('builds a valid entry with the time as ISO text and the config version stamped', () => {
    const e = timelineEntry({ at: now, kind: 'pir.scheduled', actor, detail: { owner: null }, configVersion: 'v7' });
    expect(e).toEqual({
      at: '2026-03-02T10:00:00.000Z',
      kind: 'pir.scheduled',
      actor,
      detail: { owner: null },
      configVersion: 'v7',
    });
    expect(TimelineEntry.parse(e)).toEqual(e);
    expect(timelineEntry({ at: e.at, kind: e.kind, actor, detail: e.detail, configVersion: 'v7' })).toEqual(e);
  });

  it('leaves the key out when a pure core is not told the version, and its caller stamps it', () => {
    const bare = timelineEntry({ at: now, kind: 'measure.recorded', actor, detail: {}, configVersion: undefined });
    expect('configVersion' in bare).toBe(false);
    expect(timelineEntry({ ...bare, configVersion: 'v8' }).configVersion).toBe('v8');
  });

  it('stamps the entries of the process cores that are told the version', () => {
    expect(measureEntry('timeToMobilise', 420_000, now, 'v9').configVersion).toBe('v9');
    const mi = declaredMi({ state: 'resolved', links: { pir: { key: 'PIR-1' } } });
    const done = pirCompletion(
      mi,
      { source: 'jira', number: 'PIR-1', state: 'resolved', updatedAt: now.toISOString() } as never,
      [],
      now,
      'v9',
    );
    expect(done?.configVersion).toBe('v9');
    const timeline = [entry('state.changed', '09:05', { from: 'none', to: 'declared' })];
    const tier = {
      ackTimeoutMs: 300_000,
      cadenceMs: 1_800_000,
      mobiliseMs: 900_000,
      pirDueMs: 5 * 86_400_000,
      maxEscalations: 2,
      autoPost: false,
    };
    const ack = plannedTimers(declaredMi(), timeline, tier).find((t) => t.kind === 'ack')!;
    const fired = fireTimer(ack, {
      mi: declaredMi(),
      timeline,
      tier,
      now: new Date(ack.at),
      configVersion: 'v9',
      updateJobs: () => [],
    });
    expect(fired.kind === 'fired' && fired.entries.map((e) => e.configVersion)).toEqual(['v9']);
  });
});
