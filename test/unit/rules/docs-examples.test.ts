import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Service } from '../../../src/config/files/schema.ts';
import { compileCel, factEnvironment } from '../../../src/rules/cel.ts';
import { celSchemaOf } from '../../../src/rules/fact-types.ts';

/** Every condition shown in docs/rules.md compiles: an example an admin copies must work. */
function conditions(): string[] {
  const blocks = [...readFileSync('docs/rules.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const block of blocks) {
    // Fragments of a rules list are indented under an implied `rules:`.
    const doc = parse(/^[a-z]/m.test(block) ? block : `rules:\n${block}`) as {
      rules?: Array<{ when?: string }>;
      windows?: Array<{ filter?: string }>;
    };
    for (const r of doc.rules ?? []) if (r.when) out.push(r.when);
    for (const w of doc.windows ?? []) if (w.filter) out.push(w.filter);
  }
  return out;
}

/** The environment the shipped config's conditions compile in: the catalogue's fields, its one window. */
const env = factEnvironment({ service: celSchemaOf(Service), windows: ['storm_10m'] });

describe('docs/rules.md', () => {
  const all = conditions();
  it('has examples', () => expect(all.length).toBeGreaterThanOrEqual(8));
  it.each(all)('compiles %s', (when) => {
    expect(() => compileCel(when, 'bool', env)).not.toThrow();
  });
});
