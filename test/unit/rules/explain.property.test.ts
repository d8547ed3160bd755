import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCel, factEnvironment, toCel, type CelContext } from '../../../src/rules/cel.ts';
import { explainPlan, explainWithOutcome } from '../../../src/rules/explain.ts';

/**
 * An explanation marks the parts CEL never reached as notEvaluated, by combining the parts' outcomes as `&&`, `||`,
 * `!` and `?:` do. If that combination ever disagreed with the library, an explanation would show a part as decisive
 * that was not, or skip one that was: so the combined outcome must be the condition's own, on random conditions.
 */
const env = factEnvironment({ service: { tier: 'int', name: 'string' }, windows: ['w'] });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const int = fc.integer({ min: 0, max: 3 });
const text = fc.constantFrom('a', 'b', '', 'ab');

const leaf = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('incident.priority', 'incident.impact', 'service.tier', 'window.w.count'),
      fc.constantFrom('==', '!=', '<', '>='),
      fc.constantFrom('0', '1', '2'),
    )
    .map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.constantFrom('has(incident.priority)', 'has(incident.impact)', 'has(incident.title)', 'has(service.tier)'),
  fc.constantFrom('incident.title.contains("a")', 'incident.title in vips', 'size(incident.title) > 1'),
  fc.constantFrom('true', 'false'),
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), fc.constantFrom('&&', '||'), tie('expr')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    tie('expr').map((a) => `!(${a})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `(${c}) ? (${a}) : (${b})`),
  ),
}));
const context = fc
  .record({
    incident: fc.record({ priority: maybe(int), impact: maybe(int), title: maybe(text) }),
    service: fc.record({ tier: maybe(int) }),
    window: fc.record({ w: fc.record({ count: int }) }),
    vips: fc.array(text, { maxLength: 2 }),
  })
  .map(
    (c): CelContext => ({
      incident: toCel(c.incident),
      service: toCel(c.service),
      window: toCel(c.window),
      vips: c.vips,
      now: new Date(0),
    }),
  );

describe('explanations', () => {
  it('combine the parts to exactly what the CEL library evaluates the condition to', () => {
    fc.assert(
      fc.property(expr, fc.array(context, { minLength: 1, maxLength: 6 }), (when, contexts) => {
        const program = compileCel(when, 'bool', env);
        const plan = explainPlan(program.ast, env);
        for (const ctx of contexts) {
          let library: unknown;
          try {
            library = program(ctx);
          } catch {
            library = 'error';
          }
          const { outcome } = explainWithOutcome(plan, ctx);
          expect({ when, outcome: 'error' in outcome ? 'error' : outcome.value }).toEqual({ when, outcome: library });
        }
      }),
      { numRuns: 3000 },
    );
  });
});
