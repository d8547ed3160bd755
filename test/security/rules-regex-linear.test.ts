import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/files/config-error.ts';
import { compileCel, toCel, type CelContext } from '../../src/rules/cel.ts';
import { evaluate } from '../../src/rules/evaluate.ts';
import { compileFastPath } from '../../src/rules/fast-path.ts';
import { compile, facts } from '../unit/rules/rules-helpers.ts';
import { loadErrorWith, shippedRulesWith } from './lib/draft-config.ts';

/**
 * Issue #16, item 2: `matches()` ran the native, backtracking RegExp, so one rule (or one draft
 * sent to rules/simulate) with `^(a+)+$` froze the thread for seconds, doubling with each
 * character. It now runs RE2 (linear time), in the CEL library and in the fast path alike. With
 * the backtracking engine each case below would not finish within the test's time limit (42
 * characters: about 2^42 steps); with RE2 each takes microseconds.
 */
const hostile = `${'a'.repeat(42)}!`;
const ctx = (incident: Record<string, unknown>): CelContext => ({
  incident: toCel(incident),
  service: null,
  window: {},
  vips: [],
  now: new Date(0),
});

describe('matches() runs in linear time', () => {
  it('in the CEL library: a catastrophic pattern on a literal is simply false', () => {
    expect(compileCel(`"${hostile}".matches("^(a+)+$")`, 'bool')(ctx({}))).toBe(false);
  });

  it('in the CEL library with the pattern read from the event (no fast path)', () => {
    expect(
      compileCel('incident.title.matches(incident.pattern)', 'bool')(ctx({ title: hostile, pattern: '^(a+)+$' })),
    ).toBe(false);
  });

  it('in the fast path, which decides the common conditions without the library', () => {
    const fast = compileFastPath(compileCel('incident.title.matches("^(a+)+$")').ast)!;
    expect(fast(ctx({ title: hostile }))).toBe(false);
    expect(fast(ctx({ title: 'aaa' }))).toBe(true);
  });

  it('in a live rule evaluated per event, with the explanation of every part', () => {
    const rules = compile([
      { id: 'redos', when: 'incident.title.matches("^(a+)+$") || incident.title.lowerAscii().matches("(x+x+)+y")' },
    ]);
    const result = evaluate(rules, facts({ title: hostile }), { explain: 'all' });
    expect(result.results[0]).toMatchObject({ ruleId: 'redos', matched: false });
    expect(result.results[0]!.explanation!.map((l) => l.value)).toEqual([false, false]);
  });
});

describe('RE2 syntax is checked when the rules are compiled', () => {
  const compileError = (when: string) => {
    try {
      compileCel(when, 'bool');
    } catch (err) {
      return err as { code: string; message: string; offset?: number };
    }
    throw new Error(`compiled: ${when}`);
  };

  it('refuses a backreference, a lookahead and a lookbehind, at the pattern, naming RE2', () => {
    for (const pattern of ['(a)\\\\1', '(?=a)b', '(?!a)b', '(?<=a)b']) {
      const err = compileError(`incident.title.matches("${pattern}")`);
      expect(err.code).toBe('CEL_COMPILE');
      expect(err.message).toMatch(/^matches\(\): not an RE2 regular expression \(no backreferences or lookaround\)/);
      expect(err.offset).toBe('incident.title.matches('.length);
    }
  });

  it('refuses a pattern too large to run in bounded time per character', () => {
    expect(compileError('incident.title.matches("(?s)(.{0,100}a){10}")').message).toMatch(
      /regular expression too large/,
    );
  });

  it('fails `rules check` (the loader) with file, line and column, so a live config can never hold one', async () => {
    const rules = shippedRulesWith(
      '  - id: lookahead\n    description: not RE2\n    when: incident.title.matches("(?=down)")\n    then: declare\n',
    );
    const error = await loadErrorWith(rules);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({
        file: 'rules.yaml',
        path: 'rules.0.when',
        line: rules.split('\n').findIndex((l) => l.includes('(?=down)')) + 1,
        column: 34,
        message: expect.stringMatching(/^CEL: matches\(\): not an RE2 regular expression/),
      }),
    ]);
  });

  it('a pattern RE2 refuses that comes from the event makes that rule not match, saying why', () => {
    const rules = compile([
      { id: 'dynamic', when: 'incident.title.matches(incident.description)' },
      { id: 'ok', when: 'incident.priority == 1', then: 'propose' },
    ]);
    const result = evaluate(rules, facts({ title: 't', description: '(?=t)', priority: 1 }));
    expect(result).toMatchObject({ decision: 'propose', decidedBy: 'ok' });
    expect(result.results[0]).toMatchObject({
      matched: false,
      error: expect.stringMatching(/not an RE2 regular expression/),
    });
  });
});
