import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfigDir } from '../../src/config/files/read-config-dir.ts';
import { fromDirFiles, mergeFiles } from '../../src/config/versions/version-files.ts';
import { MAX_SIMULATION_BYTES, simulateTask } from '../../src/http/admin/sandbox/tasks.ts';
import { fromCel } from '../../src/rules/cel.ts';
import { clipExplained, EXPLAINED } from '../../src/rules/explain.ts';

/**
 * A viewer's draft whose conditions build a list of the event's largest field, hundreds of times
 * over: cheap in the worker (the entries share one string), but each entry is copied when the
 * answer crosses to the web thread. Found in review: 171 MB answers, seconds of web-thread work.
 */
const TITLE = 'x'.repeat(190_000);
const hugeRule = (i: number) =>
  `  - id: huge-${i}\n    description: builds a list of the title\n    when: ` +
  `'dyn([${Array(300).fill('incident.title').join(', ')}]) || false'\n    then: propose\n`;

async function draftWith(rules: number): Promise<Record<string, string>> {
  const base = fromDirFiles(await readConfigDir('config'));
  const merged = mergeFiles(base, {
    'rules.yaml': base['rules.yaml']!.replace(
      /^rules:\n/m,
      `rules:\n${Array.from({ length: rules }, (_, i) => hugeRule(i)).join('')}`,
    ),
  });
  if (!('files' in merged)) throw new Error(JSON.stringify(merged.problems));
  return { ...merged.files };
}

describe('the size of what a simulation explains', () => {
  it('clips every explained value: long text, long lists, wide maps, deep nesting', () => {
    const clipped = clipExplained({
      text: 'y'.repeat(1000),
      list: Array(100).fill('z'),
      deep: [[[[[[[['bottom']]]]]]]],
    }) as Record<string, unknown>;
    expect(clipped.text).toBe(`${'y'.repeat(EXPLAINED.chars)}… (${1000 - EXPLAINED.chars} more characters)`);
    expect(clipped.list).toHaveLength(EXPLAINED.items + 1);
    expect(JSON.stringify(clipped.deep)).toContain('"…"');
  });

  it('answers a draft built to blow up the answer with a bounded one', async () => {
    const event = {
      ...JSON.parse(readFileSync('test/fixtures/config/events/servicenow-p1-payroll.json', 'utf8')),
      title: TITLE,
    };
    const outcome = simulateTask({ kind: 'simulate', dir: 'config', files: await draftWith(3), body: { event } });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
    const answer = JSON.stringify(fromCel(outcome.simulation));
    expect(Buffer.byteLength(answer)).toBeLessThan(MAX_SIMULATION_BYTES);
    expect(answer).toContain('more characters');
  });
});
