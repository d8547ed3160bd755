/**
 * The values and operations the fast path (fast-path.ts) evaluates itself, defined exactly as
 * the CEL library defines them (its functions.js and overloads.js), so both give the same answer.
 */

/** "Don't know": a missing field, an error, a type this file leaves to the library. */
export const UNKNOWN = Symbol('unknown');
export type Kind = 'int' | 'double' | 'string' | 'bool';

export const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

export function kindOf(v: unknown): Kind | undefined {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isNaN(v) ? undefined : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return undefined;
  }
}

export const ORDERED = new Set<Kind>(['int', 'double']);
export const COMPARE: Record<string, (a: never, b: never) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

export const STRING_METHODS: Record<string, (s: string, arg: string) => unknown> = {
  contains: (s, a) => s.includes(a),
  startsWith: (s, a) => s.startsWith(a),
  endsWith: (s, a) => s.endsWith(a),
};
// The library's own definitions (functions.js): lowerAscii is toLowerCase, size counts code points.
export const STRING_TRANSFORMS: Record<string, (s: string) => unknown> = {
  lowerAscii: (s) => s.toLowerCase(),
  upperAscii: (s) => s.toUpperCase(),
  size: (s) => {
    let n = 0;
    // As the library counts: code points, without an array of the whole string.
    for (const _ of s) n++;
    return BigInt(n);
  },
};

export const truth = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
