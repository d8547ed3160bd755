import { describe, expect, it } from 'vitest';
import { nextTransition } from '../../../src/connectors/jira/outbound-transitions.ts';

const t = (id: string, category: string, isAvailable?: boolean) => ({
  id,
  to: { statusCategory: { key: category } },
  ...(isAvailable === undefined ? {} : { isAvailable }),
});

describe('nextTransition (pure)', () => {
  it('nothing to do when already in the category', () => {
    expect(nextTransition('done', 'done', [t('1', 'done')])).toEqual({ kind: 'none' });
  });

  it('takes the first transition into the wanted category', () => {
    const step = nextTransition('indeterminate', 'done', [t('5', 'new'), t('9', 'done'), t('10', 'done')]);
    expect(step).toMatchObject({ kind: 'step', final: true, transition: { id: '9' } });
  });

  it('skips unavailable transitions', () => {
    expect(nextTransition('new', 'done', [t('9', 'done', false), t('10', 'done', true)])).toMatchObject({
      transition: { id: '10' },
    });
  });

  it('hops through indeterminate from new to done', () => {
    expect(nextTransition('new', 'done', [t('11', 'indeterminate'), t('2', 'new')])).toMatchObject({
      kind: 'step',
      final: false,
      transition: { id: '11' },
    });
    expect(nextTransition('done', 'new', [t('12', 'indeterminate')])).toMatchObject({
      kind: 'step',
      final: false,
      transition: { id: '12' },
    });
  });

  it('is stuck when no path exists', () => {
    expect(nextTransition('indeterminate', 'done', [t('5', 'new')])).toEqual({ kind: 'stuck' });
    expect(nextTransition('new', 'done', [t('2', 'new')])).toEqual({ kind: 'stuck' });
    expect(nextTransition('in-flight', 'done', [t('2', 'completed')])).toEqual({ kind: 'stuck' });
  });
});
