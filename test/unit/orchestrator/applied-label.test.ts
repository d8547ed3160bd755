import { describe, expect, it } from 'vitest';
import { appliedLabel } from '../../../src/orchestrator/apply-decision.ts';
import { declaredMi } from './process/mi-fixture.ts';

describe('appliedLabel', () => {
  it('spells each outcome as the events metric and the logs always have (dashboards read them)', () => {
    expect(appliedLabel({ kind: 'nothing' })).toBe('nothing');
    expect(appliedLabel({ kind: 'created', mi: declaredMi({ state: 'candidate' }) })).toBe('created:candidate');
    expect(appliedLabel({ kind: 'created', mi: declaredMi() })).toBe('created:declared');
    expect(appliedLabel({ kind: 'attached', miId: 'MI-1', added: true })).toBe('attached');
    expect(appliedLabel({ kind: 'attached', miId: 'MI-1', added: false })).toBe('already-attached');
    expect(appliedLabel({ kind: 'refused', miId: 'MI-1' })).toBe('refused');
    expect(appliedLabel({ kind: 'unchanged', miId: 'MI-1' })).toBe('unchanged');
    expect(appliedLabel({ kind: 'moved', miId: 'MI-1', from: 'candidate', to: 'declared' })).toBe(
      'candidate->declared',
    );
  });
});
