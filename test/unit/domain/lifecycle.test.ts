import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_EFFECTS,
  LIFECYCLE_STATES,
  TRIGGER_KEYS,
  TransitionResult,
  transition,
  type LifecycleState,
  type LifecycleTrigger,
  type TriggerKey,
} from '../../../src/domain/lifecycle.ts';
import { COLUMNS, EXPECTED_EFFECTS, STATES, expectedCell, sampleTrigger } from './lifecycle-expected.ts';

describe('the expected table covers the machine', () => {
  it('has a row for every state and a column for every trigger key', () => {
    expect([...LIFECYCLE_STATES].sort()).toEqual([...STATES].sort());
    expect([...TRIGGER_KEYS]).toEqual([...COLUMNS]);
  });
  it('names the effects the playbook boundary knows', () => {
    expect([...LIFECYCLE_EFFECTS].sort()).toEqual([
      'cancel',
      'close',
      'declare',
      'propose',
      'reject',
      'reopen',
      'resolve',
    ]);
  });
});

const cases = STATES.flatMap((state) =>
  COLUMNS.map((trigger) => [state, trigger, expectedCell(state, trigger)] as const),
);

describe('transition: every state × trigger', () => {
  it.each(cases)('%s + %s → %s', (state: LifecycleState, key: TriggerKey, cell: string) => {
    const result = transition(state, sampleTrigger(key));
    if (cell === '-') {
      expect(result).toEqual({
        ok: false,
        from: state,
        trigger: key,
        code: 'ILLEGAL_TRANSITION',
        reason: expect.stringContaining(key),
      });
    } else if (cell === '=') {
      expect(result).toEqual({ ok: true, from: state, to: state, changed: false, effects: [] });
    } else {
      expect(result).toEqual({
        ok: true,
        from: state,
        to: cell,
        changed: true,
        effects: EXPECTED_EFFECTS[`${state}>${cell}`],
      });
    }
    expect(TransitionResult.parse(result)).toEqual(result);
    // The bare table column means the same as the full trigger.
    expect(transition(state, key)).toEqual(result);
  });
});

describe('transition: what the brief asks for, spelled out', () => {
  const t = (type: TriggerKey) => sampleTrigger(type);
  it('a repeat of the current state is a no-op, not an error', () => {
    expect(transition('declared', t('rule.declare'))).toMatchObject({ ok: true, changed: false, effects: [] });
    expect(transition('candidate', t('rule.propose'))).toMatchObject({ ok: true, changed: false });
    expect(transition('resolved', t('source.resolved'))).toMatchObject({ ok: true, changed: false });
    expect(transition('closed', t('pir.completed'))).toMatchObject({ ok: true, changed: false });
  });
  it('a Major Incident Manager in ServiceNow is honoured', () => {
    expect(transition('candidate', t('source.major_accepted'))).toMatchObject({ to: 'declared', effects: ['declare'] });
    expect(transition('candidate', t('source.major_rejected'))).toMatchObject({ to: 'rejected', effects: ['reject'] });
    expect(transition('rejected', t('source.major_accepted'))).toMatchObject({ to: 'declared', effects: ['declare'] });
  });
  it('a direct close from declared resolves and closes', () => {
    expect(transition('declared', t('source.closed'))).toEqual({
      ok: true,
      from: 'declared',
      to: 'closed',
      changed: true,
      effects: ['resolve', 'close'],
    });
  });
  it('refuses instead of throwing, with the code to record', () => {
    const refused = transition('closed', t('source.reopened'));
    expect(refused).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      from: 'closed',
      trigger: 'source.reopened',
    });
    expect(transition('declared', t('source.major_rejected'))).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    expect(transition('none', t('source.resolved'))).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
  });
  it('walks a whole major incident: propose, accept, resolve, re-open, close', () => {
    const walk: LifecycleTrigger[] = [
      t('rule.propose'),
      t('source.major_accepted'),
      t('source.resolved'),
      t('source.reopened'),
      t('manual.resolve'),
      t('pir.completed'),
    ];
    let state: LifecycleState = 'none';
    const effects: string[] = [];
    for (const trigger of walk) {
      const result = transition(state, trigger);
      if (!result.ok) throw new Error(result.reason);
      state = result.to;
      effects.push(...result.effects);
    }
    expect(state).toBe('closed');
    expect(effects).toEqual(['propose', 'declare', 'resolve', 'reopen', 'resolve', 'close']);
  });
  it('returns fresh effect arrays (a caller pushing to one cannot change the next move)', () => {
    const first = transition('declared', t('source.closed'));
    if (first.ok) first.effects.push('cancel');
    expect(transition('declared', t('source.closed'))).toMatchObject({ effects: ['resolve', 'close'] });
  });
});
