import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileCel, factEnvironment, toCel, type CelContext } from '../../../src/rules/cel.ts';
import { compileFastPath } from '../../../src/rules/fast-path.ts';

const paths = [
  'incident.priority',
  'incident.title',
  'incident.flag',
  'incident.ratio',
  'incident.nothing',
  'incident.sub.x',
  'service.tier',
  'service.name',
  'window.w.count',
];
const literals = ['0', '1', '2', '3', '-1', '2.5', '3.0', '"a"', '"b"', '""', 'true', 'false', 'null', '1u'];
const ops = ['==', '!=', '<', '<=', '>', '>='];

const path = fc.constantFrom(...paths);
const literal = fc.constantFrom(...literals);
const operand = fc.oneof(path, literal);
const stringOperand = fc.oneof(
  path,
  fc.constantFrom('"a"', '"A"', '""', '"é"', 'k'),
  path.map((p) => `${p}.lowerAscii()`),
  path.map((p) => `${p}.upperAscii()`),
);
const list = fc.constantFrom('[1, 2]', '["a", "b"]', '["a", 1]', '[]', 'vips', '[incident.title, "b"]', 'incident.sub');
const leaf = fc.oneof(
  fc.tuple(operand, fc.constantFrom(...ops), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
  path.filter((p) => p.includes('.')).map((p) => `has(${p})`),
  path,
  fc
    .tuple(stringOperand, fc.constantFrom('contains', 'startsWith', 'endsWith'), stringOperand)
    .map(([a, m, b]) => `${a}.${m}(${b})`),
  fc
    .tuple(stringOperand, fc.constantFrom('"a"', '"^b"', '"(?i)a"', '"a|b$"', '"["'))
    .map(([a, re]) => `${a}.matches(${re})`),
  fc
    .tuple(stringOperand, fc.constantFrom('==', '>', '<='), fc.constantFrom('0', '1', '2'))
    .map(([a, op, n]) => `${a}.size() ${op} ${n}`),
  fc.tuple(fc.oneof(operand, fc.constant('k')), list).map(([a, l]) => `${a} in ${l}`),
  fc
    .tuple(
      list,
      fc.constantFrom('exists', 'all'),
      fc.constantFrom('k == "a"', 'k > 1', 'k.contains("a")', 'k == incident.title', 'k in vips', 'has(k.x)'),
    )
    .map(([l, q, p]) => `${l}.${q}(k, ${p})`),
  fc.constantFrom('true', 'false', 'size(incident.title) > 1'),
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

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.constantFrom('a', 'b', '', 'A', 'ab', 'Ba', 'é', 'É', '😀a');
const value = fc.oneof(
  fc.integer({ min: -2, max: 4 }),
  fc.constantFrom(2.5, 3, Number.NaN),
  text,
  fc.boolean(),
  fc.constant(null),
);
const context = fc
  .record({
    incident: fc.record({
      priority: maybe(value),
      title: maybe(value),
      flag: maybe(value),
      ratio: maybe(value),
      sub: maybe(fc.oneof(fc.record({ x: value }), value, fc.array(value, { maxLength: 3 }))),
    }),
    service: fc.oneof(fc.constant(null), fc.record({ tier: maybe(value), name: maybe(value) })),
    window: fc.oneof(fc.constant({}), fc.record({ w: fc.record({ count: value }) })),
    vips: fc.oneof(fc.array(text, { maxLength: 3 }), fc.array(value, { maxLength: 3 })),
  })
  .map(
    (c): CelContext => ({
      incident: toCel(c.incident),
      service: toCel(c.service),
      window: toCel(c.window),
      vips: toCel(c.vips),
      now: new Date(0),
    }),
  );

/**
 * The facts as the service builds them: each field of its declared type (zod validated the event and the catalogue),
 * evaluated in the typed environment rules compile in.
 */
const typedEnv = factEnvironment({ service: { tier: 'int', name: 'string' }, windows: ['w'] });
const int = fc.integer({ min: -2, max: 4 });
const typedContext = fc
  .record({
    incident: fc.record({ priority: maybe(int), title: maybe(text) }),
    service: fc.record({ tier: maybe(int), name: maybe(text) }),
    window: fc.record({ w: fc.record({ count: int }) }),
    vips: fc.array(text, { maxLength: 3 }),
  })
  .map(
    (c): CelContext => ({
      incident: toCel(c.incident),
      service: toCel(c.service),
      window: toCel(c.window),
      vips: toCel(c.vips),
      now: new Date(0),
    }),
  );

function library(program: (ctx: CelContext) => unknown, ctx: CelContext): unknown {
  try {
    return program(ctx);
  } catch {
    return 'error';
  }
}

describe('fast path', () => {
  it.each([
    ['any values, every fact dyn', context, undefined, 2000],
    ['well-typed values, the typed environment rules compile in', typedContext, typedEnv, 500],
  ] as const)('answers only when it is sure, and then exactly as the CEL library does: %s', (_, facts, env, least) => {
    let decided = 0;
    fc.assert(
      fc.property(expr, fc.array(facts, { minLength: 1, maxLength: 8 }), (text, contexts) => {
        let program: ReturnType<typeof compileCel>;
        try {
          program = compileCel(text, undefined, env);
        } catch {
          return; // not a valid condition (e.g. a literal type clash); the fast path never sees those
        }
        const fast = compileFastPath(program.ast);
        if (!fast) return;
        for (const ctx of contexts) {
          const quick = fast(ctx);
          if (quick === undefined) continue;
          decided++;
          expect({ text, result: library(program, ctx) }).toEqual({ text, result: quick });
        }
      }),
      { numRuns: 6000 },
    );
    // The property is only worth something if the fast path actually decides cases.
    expect(decided).toBeGreaterThan(least);
  });

  it('decides the common guards of real rules without the library', () => {
    const fast = compileFastPath(
      compileCel(
        'service.tier == 1 && has(incident.priority) && incident.priority == 1 && incident.title.contains("x")',
      ).ast,
    )!;
    const ctx = (tier: number, priority?: number): CelContext => ({
      incident: toCel({ priority, title: 't' }),
      service: toCel({ tier }),
      window: {},
      vips: [],
      now: new Date(0),
    });
    expect(fast(ctx(2, 1))).toBe(false);
    expect(fast(ctx(1, 3))).toBe(false);
    expect(fast(ctx(1))).toBe(false);
    expect(fast(ctx(1, 1))).toBe(false);
    expect(fast({ ...ctx(1, 1), incident: toCel({ priority: 1, title: 'x' }) })).toBe(true);
    expect(fast({ ...ctx(1, 1), incident: toCel({ priority: 1 }) })).toBeUndefined();
    expect(compileFastPath(compileCel('incident.title.split(" ").size() > 2').ast)).toBeUndefined();
  });
});
