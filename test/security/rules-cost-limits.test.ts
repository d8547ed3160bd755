import { describe, expect, it } from 'vitest';
import { RulesFile, Service } from '../../src/config/files/schema.ts';
import { buildConfig } from '../../src/config/files/build-config.ts';
import { ConfigError } from '../../src/config/files/config-error.ts';
import { readConfigDir } from '../../src/config/files/read-config-dir.ts';
import { fromDirFiles, toDirFiles } from '../../src/config/versions/version-files.ts';
import { compileRules } from '../../src/rules/compile-rules.ts';
import { evaluate } from '../../src/rules/evaluate.ts';
import { facts } from '../unit/rules/rules-helpers.ts';
import { loadErrorWith, shippedRulesWith } from './lib/draft-config.ts';

/**
 * Issue #16, item 2: what one condition may cost per event is bounded when the rules are
 * compiled (the same compile serves `rules check`, drafts, versions applied through the API and
 * the live rules). Each case is refused with the rule's path and, where it helps, the offset of
 * the part to blame; none of them could be refused before, and each would cost the events worker
 * the square of an event's size, or millions of steps, per event.
 */
type Rule = { id: string; when: string; enabled?: boolean };
const problemsOf = (rules: Rule[], windows: Array<{ id: string; filter: string }> = []) =>
  compileRules(
    RulesFile.parse({
      rules: rules.map((r) => ({ description: 'test', then: 'declare', ...r })),
      windows: windows.map((w) => ({ duration: '10m', ...w })),
      playbooks: {},
    }),
    { vips: ['Ada'], serviceSchema: Service },
  ).problems;
const one = (when: string) => problemsOf([{ id: 'r', when }]);
const list = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;

describe('compile-time bounds on a condition', () => {
  it('refuse a comprehension over event data nested in another over it (the square of the event)', () => {
    const when = 'incident.changedFields.exists(f, incident.changedFields.exists(g, f == g))';
    expect(one(when)).toEqual([
      {
        path: ['rules', 0, 'when'],
        offset: when.indexOf('incident.changedFields.exists(g'),
        message: expect.stringMatching(/^CEL: too costly: .*square of the event's size/),
      },
    ]);
  });

  it('refuse comparing each element of event data with other event data', () => {
    expect(one('incident.changedFields.exists(f, incident.description.contains(f))')[0]?.message).toMatch(
      /square of the event's size/,
    );
    expect(one('incident.changedFields.map(f, incident.title + f).size() > 0')[0]?.message).toMatch(
      /square of the event's size/,
    );
  });

  it('accept what is linear: one pass over event data, each element against literals, vips against the caller', () => {
    expect(one('incident.changedFields.exists(f, f == "priority" || f.startsWith("u_"))')).toEqual([]);
    expect(one('vips.exists(v, incident.caller.contains(v))')).toEqual([]);
    expect(one('["down", "outage"].exists(w, incident.title.lowerAscii().contains(w))')).toEqual([]);
    expect(one('incident.title.split(" ").exists(w, w.matches("^INC[0-9]+$"))')).toEqual([]);
  });

  it('refuse comprehensions over large literal lists multiplied together', () => {
    expect(one(`${list(400)}.all(x, ${list(400)}.all(y, x != y || x == y))`)[0]?.message).toMatch(
      /^CEL: too costly: up to \d+ steps per event, at most 100000/,
    );
  });

  it('refuse too many regex steps per character of the event', () => {
    const pattern = '(?s)(.{0,100}a){9}';
    const when = Array.from({ length: 6 }, () => `incident.description.matches("${pattern}")`).join(' || ');
    expect(one(when)[0]?.message).toMatch(
      /^CEL: too costly: up to \d+ steps per character of the event, at most 10000/,
    );
  });

  it('refuse long literals, deep nesting and oversized conditions at the parser', () => {
    expect(one(`incident.title == "${'x'.repeat(5000)}"`)[0]?.message).toBe(
      'CEL: a literal longer than 4096 characters',
    );
    expect(one(`${'('.repeat(40)}true${')'.repeat(40)}`)[0]?.message).toMatch(/maxDepth/);
    expect(one(Array.from({ length: 600 }, (_, i) => `incident.priority == ${i}`).join(' || '))[0]?.message).toMatch(
      /maxAstNodes/,
    );
    expect(one(`${list(1001)}.size() > 0`)[0]?.message).toMatch(/maxAstNodes|maxListElements/);
  });

  it('bound disabled rules too (enabling one later must not break a config), and the whole set together', () => {
    expect(
      problemsOf([
        {
          id: 'off',
          enabled: false,
          when: 'incident.changedFields.exists(f, incident.changedFields.exists(g, f == g))',
        },
      ])[0]?.path,
    ).toEqual(['rules', 0, 'when']);
    const costly = Array.from({ length: 4 }, () => 'incident.description.matches("(?s)(.{0,100}a){9}")').join(' || ');
    const rules = Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, when: costly }));
    expect(problemsOf(rules)).toEqual([
      {
        path: ['rules'],
        message: expect.stringMatching(
          new RegExp(
            '^the rules and window filters together are too costly: ' +
              'up to \\d+ steps per character of the event, at most 20000',
          ),
        ),
      },
    ]);
    expect(problemsOf(rules.map((r, i) => ({ ...r, enabled: i < 2 })))).toEqual([]);
  });

  it('bound window filters the same way', () => {
    expect(
      problemsOf(
        [{ id: 'r', when: 'window.w.count > 1' }],
        [{ id: 'w', filter: 'incident.changedFields.all(f, incident.changedFields.exists(g, f == g))' }],
      )[0]?.path,
    ).toEqual(['windows', 0, 'filter']);
  });

  it('leave the shipped rules and their results alone', async () => {
    const files = fromDirFiles(await readConfigDir('config'));
    const config = buildConfig(toDirFiles('config', files));
    expect(evaluate(config.compiled, facts({ priority: 1 }, { id: 'payroll', tier: 1 })).decision).toBe('declare');
  });

  it(
    'refuse such a rule in a version applied through the API, or in files: the loader names file, ' + 'line and column',
    async () => {
      const rules = shippedRulesWith(
        '  - id: quadratic\n    description: every changed field against every other\n    when: ' +
          'incident.changedFields.exists(f, incident.changedFields.exists(g, f == g))\n    then: declare\n',
      );
      const error = await loadErrorWith(rules);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]).toMatchObject({
        file: 'rules.yaml',
        path: 'rules.0.when',
        line: rules.split('\n').findIndex((l) => l.includes('id: quadratic')) + 3,
      });
    },
  );
});
