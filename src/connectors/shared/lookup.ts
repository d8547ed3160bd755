/** Reads own keys only, so vendor input such as `constructor` or `__proto__` maps to nothing. */
export function lookup<K extends string, V>(
  table: Readonly<Record<K, V>>,
  key: string | null | undefined,
): V | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key as K] : undefined;
}
