/**
 * Admin JSON is nested a few levels (a vendor payload: under ten). Deeper input is refused before
 * any recursive code sees it: JSON.stringify, zod, the normalizers and the structured clone to a
 * worker thread each recurse once per level and overflow the stack somewhere past ten thousand.
 */
export const MAX_JSON_DEPTH = 64;

/** The path of the first value nested deeper than `max` (`payload.a.b…`), or undefined. Iterative. */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= max) return (item.path || '(root)').slice(0, 200);
    for (const [key, child] of Object.entries(item.value)) {
      stack.push({ value: child, depth: item.depth + 1, path: item.path ? `${item.path}.${key}` : key });
    }
  }
  return undefined;
}
