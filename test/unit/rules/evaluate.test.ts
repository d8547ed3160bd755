import { describe, expect, it } from 'vitest';
import { evaluate, explainRule } from '../../../src/rules/evaluate.ts';
import { compile, facts } from './rules-helpers.ts';

describe('explanations', () => {
  it('give the source text and value of every part of the condition, down to the leaves', () => {
    const rules = compile([
      {
        id: 'r',
        when:
          'service.tier <= 2 && (incident.priority == 1 || incident.title.contains("down")) && !(incident.state in ' +
          '["resolved", "closed"])',
      },
    ]);
    const [result] = evaluate(rules, facts({ priority: 3, title: 'Portal down', state: 'new' })).results;
    expect(result).toMatchObject({ ruleId: 'r', then: 'declare', matched: true });
    expect(result!.explanation).toEqual([
      { expr: 'service.tier <= 2', value: true },
      { expr: 'incident.priority == 1', value: false },
      { expr: 'incident.title.contains("down")', value: true },
      { expr: 'incident.state in ["resolved", "closed"]', value: false },
    ]);
  });

  it('split ternaries, keep macros whole, show values other than booleans and drop literals', () => {
    const rules = compile([
      {
        id: 'r',
        when: 'has(incident.impact) ? incident.impact <= 1 : ["a", "b"].exists(k, incident.title.contains(k)) || false',
      },
    ]);
    const [result] = evaluate(rules, facts({ title: 'zzz' }), { explain: 'all' }).results;
    expect(result!.matched).toBe(false);
    expect(result!.explanation).toEqual([
      { expr: 'has(incident.impact)', value: false },
      { expr: 'incident.impact <= 1', notEvaluated: true },
      { expr: '["a", "b"].exists(k, incident.title.contains(k))', value: false },
    ]);
  });

  it('mark the parts a has() guard kept CEL from reading as not evaluated, not as errors, in a match', () => {
    const rules = compile([
      {
        id: 'p1',
        when:
          'service.tier == 1 && ((has(incident.priority) && incident.priority == 1) || ' +
          '(has(incident.impact) && has(incident.urgency) && incident.impact == 1 && incident.urgency == 1))',
      },
    ]);
    const [result] = evaluate(rules, facts({ priority: 1 })).results;
    expect(result).toMatchObject({ matched: true });
    expect(result!.explanation).toEqual([
      { expr: 'service.tier == 1', value: true },
      { expr: 'has(incident.priority)', value: true },
      { expr: 'incident.priority == 1', value: true },
      { expr: 'has(incident.impact)', notEvaluated: true },
      { expr: 'has(incident.urgency)', notEvaluated: true },
      { expr: 'incident.impact == 1', notEvaluated: true },
      { expr: 'incident.urgency == 1', notEvaluated: true },
    ]);
    const [other] = evaluate(rules, facts({ priority: 3 }), { explain: 'all' }).results;
    expect(other!.explanation!.slice(3)).toEqual([
      { expr: 'has(incident.impact)', value: false },
      { expr: 'has(incident.urgency)', notEvaluated: true },
      { expr: 'incident.impact == 1', notEvaluated: true },
      { expr: 'incident.urgency == 1', notEvaluated: true },
    ]);
  });

  it('show an error CEL forgave because the other side decided, and the one that failed the rule', () => {
    const rules = compile([
      { id: 'failed', when: 'incident.priority == 1 && incident.impact == 1' },
      { id: 'forgiven', when: 'incident.impact == 1 || incident.priority == 1' },
    ]);
    const [failed, forgiven] = evaluate(rules, facts({ priority: 1 }), { explain: 'all' }).results;
    expect(forgiven).toMatchObject({ matched: true });
    expect(forgiven!.explanation).toEqual([
      { expr: 'incident.impact == 1', error: 'No such key: impact' },
      { expr: 'incident.priority == 1', value: true },
    ]);
    expect(failed).toMatchObject({ matched: false, error: 'No such key: impact' });
    expect(failed!.explanation).toEqual([
      { expr: 'incident.priority == 1', value: true },
      { expr: 'incident.impact == 1', error: 'No such key: impact' },
    ]);
  });

  it('convert CEL values back to JSON: ints to numbers, timestamps to ISO strings', () => {
    const rules = compile([{ id: 'r', when: 'incident.priority + 0 == 2 && now > timestamp("2026-01-01T00:00:00Z")' }]);
    expect(explainRule(rules, 'r', facts({ priority: 2 }))).toEqual([
      { expr: 'incident.priority + 0 == 2', value: true },
      { expr: 'now > timestamp("2026-01-01T00:00:00Z")', value: true },
    ]);
    expect(explainRule(rules, 'nope', facts({}))).toBeUndefined();
  });

  it('are computed for matched and failed rules by default, for all with explain: all, for none with none', () => {
    const rules = compile([
      { id: 'no', when: 'incident.priority == 9' },
      { id: 'err', when: 'incident.impact == 1' },
      { id: 'yes', when: 'incident.priority == 2' },
    ]);
    const by = (mode?: 'none' | 'matched' | 'all') =>
      evaluate(rules, facts({ priority: 2 }), mode ? { explain: mode } : {}).results.map((r) => [
        r.ruleId,
        r.explanation?.length ?? 0,
      ]);
    expect(by()).toEqual([
      ['no', 0],
      ['err', 1],
      ['yes', 1],
    ]);
    expect(by('all')).toEqual([
      ['no', 1],
      ['err', 1],
      ['yes', 1],
    ]);
    expect(by('none')).toEqual([
      ['no', 0],
      ['err', 0],
      ['yes', 0],
    ]);
  });
});

describe('runtime errors', () => {
  it('make that rule not match, with the reason, and never throw', () => {
    const rules = compile([
      { id: 'missing', when: 'incident.impact == 1' },
      { id: 'unmapped', when: 'service.tier == 1' },
      { id: 'regex', when: 'incident.title.matches(incident.description)' },
      { id: 'ok', when: 'incident.priority == 1', then: 'propose' },
    ]);
    const result = evaluate(rules, facts({ priority: 1, title: 't', description: '(' }, {}));
    expect(result).toMatchObject({ decision: 'propose', decidedBy: 'ok' });
    expect(result.results.map((r) => [r.ruleId, r.matched, typeof r.error])).toEqual([
      ['missing', false, 'string'],
      ['unmapped', false, 'string'],
      ['regex', false, 'string'],
      ['ok', true, 'undefined'],
    ]);
    expect(result.results[0]!.error).toBe('No such key: impact');
    expect(result.results[1]!.error).toBe('No such key: tier');
  });

  it('refuse, when compiled, a condition that is not true or false', () => {
    expect(() => compile([{ id: 'r', when: 'incident.title' }])).toThrow(
      'rules.0.when: CEL: a condition must be true or false, but this is a string',
    );
  });

  it('absorb an error under a false conjunct, as CEL does', () => {
    const rules = compile([{ id: 'r', when: 'incident.impact == 1 && incident.priority == 5' }]);
    expect(evaluate(rules, facts({ priority: 1 })).results[0]).toEqual({
      ruleId: 'r',
      then: 'declare',
      matched: false,
    });
  });
});

describe('which rule wins', () => {
  const rules = (evaluation: 'first-match' | 'strongest') =>
    compile(
      [
        { id: 'weak', when: 'incident.priority <= 3', then: 'propose' },
        { id: 'other-weak', when: 'incident.priority <= 4', then: 'propose' },
        { id: 'strong', when: 'incident.priority == 1', then: 'declare' },
        { id: 'after', when: 'incident.priority == 0', then: 'declare' },
      ],
      { evaluation },
    );

  it('first-match: the first matching rule in file order decides, later rules are not run', () => {
    const result = evaluate(rules('first-match'), facts({ priority: 1 }));
    expect(result).toMatchObject({ decision: 'propose', decidedBy: 'weak', evaluation: 'first-match' });
    expect(result.results.map((r) => r.ruleId)).toEqual(['weak']);
  });

  it('strongest: declare beats propose; the first declare in file order decides and ends evaluation', () => {
    const result = evaluate(rules('strongest'), facts({ priority: 1 }));
    expect(result).toMatchObject({ decision: 'declare', decidedBy: 'strong', evaluation: 'strongest' });
    expect(result.results.map((r) => [r.ruleId, r.matched])).toEqual([
      ['weak', true],
      ['other-weak', true],
      ['strong', true],
    ]);
  });

  it('strongest: with no declare matching, the first matching propose decides', () => {
    const only = compile(
      [
        { id: 'p1', when: 'incident.priority <= 3', then: 'propose' },
        { id: 'p2', when: 'true', then: 'propose' },
        { id: 'd', when: 'incident.priority == 1', then: 'declare' },
      ],
      { evaluation: 'strongest' },
    );
    expect(evaluate(only, facts({ priority: 2 }))).toMatchObject({ decision: 'propose', decidedBy: 'p1' });
  });

  it('none: nothing matched, every rule was run', () => {
    const result = evaluate(rules('first-match'), facts({ priority: 5 }));
    expect(result).toMatchObject({ decision: 'none', unmapped: false, configVersion: 'test-version' });
    expect(result.decidedBy).toBeUndefined();
    expect(result.results.map((r) => r.ruleId)).toEqual(['weak', 'other-weak', 'strong', 'after']);
  });
});

describe('facts', () => {
  it('skip disabled rules', () => {
    const rules = compile([
      { id: 'off', when: 'true', enabled: false },
      { id: 'on', when: 'incident.priority == 1', then: 'propose' },
    ]);
    expect(rules.disabled).toEqual(['off']);
    expect(evaluate(rules, facts({ priority: 1 }))).toMatchObject({ decision: 'propose', decidedBy: 'on' });
  });

  it('read a declared window the caller did not count as zero', () => {
    const rules = compile([{ id: 'storm', when: 'window.w.count >= 1 || window.w.distinctCallers > 0' }], {
      windows: [{ id: 'w', duration: '10m' }],
    });
    expect(evaluate(rules, facts({})).results[0]).toEqual({ ruleId: 'storm', then: 'declare', matched: false });
    expect(evaluate(rules, facts({}, undefined, { w: { count: 1, distinctCallers: 1 } })).decision).toBe('declare');
  });

  it('give now as a CEL timestamp, for office-hours rules', () => {
    const rules = compile([
      {
        id: 'night',
        when: 'now.getHours("Europe/London") < 7 && now - timestamp(incident.updatedAt) < duration("1h")',
      },
    ]);
    expect(evaluate(rules, facts({ updatedAt: '2026-11-20T08:30:00Z' })).decision).toBe('none');
    expect(
      evaluate(rules, { ...facts({ updatedAt: '2026-11-20T05:30:00Z' }), now: new Date('2026-11-20T06:00:00Z') })
        .decision,
    ).toBe('declare');
  });

  it('give vips from the config unless the facts bring their own', () => {
    const rules = compile([{ id: 'vip', when: 'incident.caller in vips' }], { vips: ['Registrar'] });
    expect(evaluate(rules, facts({ caller: 'Registrar' })).decision).toBe('declare');
    expect(evaluate(rules, { ...facts({ caller: 'Registrar' }), vips: [] }).decision).toBe('none');
  });
});
