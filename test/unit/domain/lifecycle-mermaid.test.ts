import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lifecycleMermaid } from '../../../src/domain/lifecycle.ts';
import { EXPECTED_EDGES } from './lifecycle-expected.ts';

/** (from, to, trigger) for every labelled arrow of the diagram. */
function edgesOf(diagram: string) {
  return diagram.split('\n').flatMap((line) => {
    const m = /^ {2}(\w+) --> (\w+): (.+)$/.exec(line);
    return m ? m[3]!.split(', ').map((trigger) => ({ from: m[1]!, to: m[2]!, trigger })) : [];
  });
}

const key = (e: { from: string; to: string; trigger: string }) => `${e.from}>${e.to}:${e.trigger}`;

describe('lifecycleMermaid', () => {
  const diagram = lifecycleMermaid();

  it('is a stateDiagram-v2 starting at none and ending at the terminal states', () => {
    const lines = diagram.split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('  [*] --> none');
    for (const terminal of ['closed', 'rejected', 'canceled']) expect(lines).toContain(`  ${terminal} --> [*]`);
    expect(lines.filter((l) => l.endsWith('--> [*]'))).toHaveLength(3);
  });

  it('draws exactly the expected moves: every edge, no no-op and no refusal', () => {
    expect(edgesOf(diagram).map(key).sort()).toEqual(EXPECTED_EDGES.map(key).sort());
  });

  it('draws one arrow per pair of states', () => {
    const arrows = diagram
      .split('\n')
      .filter((l) => l.includes(': '))
      .map((l) => l.split(':')[0]);
    expect(new Set(arrows).size).toBe(arrows.length);
  });

  it('is the copy embedded in docs/rules.md', () => {
    expect(readFileSync('docs/rules.md', 'utf8')).toContain(`\`\`\`mermaid\n${diagram}\n\`\`\``);
  });
});
