/**
 * Freezes plain objects and arrays all the way down. Class instances (the Liquid engine, Maps of
 * the service index) and functions (compiled CEL programs) keep their own mutable caches and are
 * left alone; nothing of ours writes to them.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
