import { describe, expect, it } from 'vitest';
import { headline, messageVars } from '../../../src/actions/message-vars.ts';
import { markedForOutbound } from '../../../src/actions/exercise-marking.ts';
import { declaredMi } from './process/mi-fixture.ts';

describe('markedForOutbound: what executors see of a drill', () => {
  it("puts the prefix before an exercise's title, so headlines and template variables carry it", () => {
    const seen = markedForOutbound(declaredMi({ exercise: true, priority: 1 }), '[EXERCISE]');
    expect(seen.title).toBe('[EXERCISE] Payroll down');
    expect(headline(seen, 'update')).toBe('Update: [EXERCISE] Payroll down (P1)');
    expect(messageVars(seen, undefined).mi).toMatchObject({
      title: '[EXERCISE] Payroll down',
      summary: '[EXERCISE] Payroll down',
    });
  });

  it('leaves a real major incident as it is, and never marks a title twice', () => {
    const real = declaredMi();
    expect(markedForOutbound(real, '[EXERCISE]')).toBe(real);
    const once = markedForOutbound(declaredMi({ exercise: true, title: '[DRILL] Payroll down' }), '[DRILL]');
    expect(once.title).toBe('[DRILL] Payroll down');
  });
});
