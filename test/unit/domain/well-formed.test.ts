import { describe, expect, it } from 'vitest';
import { wellFormed } from '../../../src/domain/well-formed.ts';

describe('wellFormed', () => {
  it('replaces lone surrogates in strings and keys, deeply', () => {
    expect(wellFormed({ title: 'a\ud800b', list: ['\udc00'], 'k\ud800': { deep: 'x\ud800' } })).toEqual({
      title: 'a\ufffdb',
      list: ['\ufffd'],
      'k\ufffd': { deep: 'x\ufffd' },
    });
  });

  it('keeps a parsed "__proto__" key an own key, never the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "\\ud800"}, "title": "t"}') as Record<string, unknown>;
    const out = wellFormed(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
