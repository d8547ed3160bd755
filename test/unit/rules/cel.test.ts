import { describe, expect, it } from 'vitest';
import { type CelCompileError, compileCel, fromCel, toCel } from '../../../src/rules/cel.ts';

describe('CEL values', () => {
  it('turn integral numbers into CEL ints (BigInt), keep doubles, drop undefined fields, keep dates', () => {
    const at = new Date('2026-11-20T09:00:00Z');
    expect(
      toCel({ priority: 1, ratio: 0.5, missing: undefined, list: [2, 'a'], at, nested: { n: 3 }, none: null }),
    ).toEqual({ priority: 1n, ratio: 0.5, list: [2n, 'a'], at, nested: { n: 3n }, none: null });
  });

  it('come back JSON-safe for explanations', () => {
    expect(fromCel({ n: 2n, at: new Date('2026-11-20T09:00:00Z'), m: new Map([['k', 1n]]), l: [1n] })).toEqual({
      n: 2,
      at: '2026-11-20T09:00:00.000Z',
      m: { k: 1 },
      l: [1],
    });
  });
});

describe('compileCel', () => {
  it('reports the reason and the offset of a syntax or type error', () => {
    const err = (text: string) => {
      try {
        compileCel(text, 'bool');
      } catch (e) {
        return e as CelCompileError;
      }
      throw new Error('compiled');
    };
    expect(err('incident.priority == ')).toMatchObject({
      code: 'CEL_COMPILE',
      message: 'Unexpected token: EOF',
      offset: 21,
    });
    expect(err('service.tier == 1 && foo')).toMatchObject({ message: 'Unknown variable: foo', offset: 21 });
    expect(err('now + 1').message).toMatch(/no such overload/);
    expect(err('1 + 2')).toMatchObject({ message: 'a condition must be true or false, but this is a int' });
  });

  it('accepts a dyn condition: its type is known only per event', () => {
    expect(compileCel('incident.flag', 'bool')).toBeTypeOf('function');
  });
});
