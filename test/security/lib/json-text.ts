/**
 * JSON trees that may hold raw text, so a body can carry what `JSON.stringify` never writes:
 * `1e999`, `-0`, integers past 2^53, and nesting deeper than a recursive stringify survives.
 */
export interface Raw {
  readonly [RAW]: string;
}
const RAW = Symbol('raw json text');

export type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };

export const raw = (text: string): Raw => ({ [RAW]: text });
export const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && RAW in v;

/** The text of a tree; raw parts are spliced in as they are. */
export function toJsonText(value: Json): string {
  const parts: string[] = [];
  // A marker no generated string can contain (JSON.stringify escapes control characters inside strings).
  const marker = `\u0001raw${Math.random().toString(36).slice(2)}\u0001`;
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (!isRaw(v)) return v;
      parts.push(v[RAW]);
      return marker;
    }) ?? 'null';
  if (parts.length === 0) return text;
  return text
    .split(JSON.stringify(marker))
    .map((piece, n) => (n === 0 ? piece : parts[n - 1]! + piece))
    .join('');
}

/**
 * A deep copy that shares nothing mutable with the original (fast-check hands out the same `{}`
 * and `[]` to every case that draws them) and keeps raw parts and `__proto__` keys as they are,
 * which structuredClone would not.
 */
export function copyJson<T extends Json>(v: T): T {
  if (typeof v !== 'object' || v === null || isRaw(v)) return v;
  if (Array.isArray(v)) return v.map((x) => copyJson(x)) as T;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v))
    Object.defineProperty(out, k, { value: copyJson(x), enumerable: true, writable: true, configurable: true });
  return out as T;
}
