/**
 * Lone UTF-16 surrogates (`"\ud800"` in JSON) parse in JavaScript but are not Unicode text:
 * Redis's Lua cjson refuses them, and vendors' APIs and JSON encoders elsewhere may too. Every
 * string that enters the service from a sender is made well-formed once, at normalization, so
 * nothing downstream ever sees one (each lone surrogate becomes U+FFFD, as TextEncoder does).
 */

declare global {
  // ES2024 (Node 20+); the project's `lib` is es2023.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** The value with every string in it, object keys included, made well-formed; the input is not changed. */
export function wellFormed<T>(value: T): T {
  return deep(value) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function wellFormedKeys(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).every((k) => k.isWellFormed())) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), v]));
}

function deep(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (Array.isArray(value)) return value.map(deep);
  // Dates and other class instances are left alone: only parsed JSON reaches here.
  if (!isPlainObject(value)) return value;
  // fromEntries defines own properties: a parsed "__proto__" key stays a key, never the prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), deep(v)]));
}

/** JSON text in which no string can carry a lone surrogate escape (safe for Lua's cjson to decode). */
export function wellFormedJson(value: unknown): string {
  // The replacer sees each value after its toJSON (a Date is already a string here).
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') return v.toWellFormed();
    return isPlainObject(v) ? wellFormedKeys(v) : v;
  });
}
