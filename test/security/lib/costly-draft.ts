import { readFileSync } from 'node:fs';

/**
 * A draft every compile-time limit accepts that still takes seconds to simulate: nine rules of
 * 160 `size()` calls each (a string's size counts its code points, so each call reads the whole
 * string), over a 200 KB description, every call evaluated twice (the simulator explains every
 * part). Linear in the event, as the limits require, but slow: only the sandbox's deadline stops it.
 */
export function costlyDraft(): { rules: string; description: string } {
  const terms = Array.from({ length: 160 }, (_, i) => `incident.description.size() < ${i}`).join(' || ');
  const rules = Array.from(
    { length: 9 },
    (_, i) =>
      `  - id: costly-${i}\n    description: Reads the description again and again.\n    when: '${terms}'\n    ` +
      `then: declare\n`,
  ).join('');
  const active = readFileSync('config/rules.yaml', 'utf8');
  return { rules: active.replace('rules:\n', `rules:\n${rules}`), description: 'x'.repeat(200_000) };
}
