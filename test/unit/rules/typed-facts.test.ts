import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/cli/check-config.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { evaluate } from '../../../src/rules/evaluate.ts';
import { compile, facts } from './rules-helpers.ts';

/**
 * Issue #18, "Rules that cannot fail silently": the facts' types are declared to CEL, so a misspelt field or a
 * type mismatch is a `file:line:col` problem of `rules check` (checkConfig is what the command runs; the service's
 * start, reload, validate and apply go through the same buildConfig). Before, each of these loaded, and the rule
 * then erred on every event: the P1 rule silently off.
 */
const STORM = 'window.storm_10m.count >= 5';
const P1_GUARD = 'service.tier == 1 &&';
const P1_PRIORITY = '(has(incident.priority) && incident.priority == 1)';

async function checkWith(find: string, replace: string) {
  const copy = configCopy();
  let text = '';
  copy.edit('rules.yaml', (t) => {
    expect(t).toContain(find);
    text = t.replace(find, replace);
    return text;
  });
  const result = await checkConfig(copy.dir);
  return { result, text, dir: copy.dir };
}

/** `dir/rules.yaml:line:col` of the first `needle` in the edited file (1-based, as editors count). */
function at(text: string, needle: string, dir: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return `${dir}/rules.yaml:${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
}

describe('rules check: typed facts', () => {
  it('passes the shipped config', async () => {
    expect((await checkConfig('config')).ok).toBe(true);
  });

  it.each([
    ['service.teir', P1_GUARD, 'service.teir == 1 &&', 'teir', 'rules.0.when: CEL: No such key: teir'],
    [
      'incident.prority',
      P1_PRIORITY,
      '(has(incident.priority) && incident.prority == 1)',
      'prority',
      'rules.0.when: CEL: No such key: prority',
    ],
    ['window.storm_10m.cuont', STORM, 'window.storm_10m.cuont >= 5', 'cuont', 'rules.1.when: CEL: No such key: cuont'],
    [
      "count >= '5'",
      STORM,
      "window.storm_10m.count >= '5'",
      "window.storm_10m.count >= '5'",
      'rules.1.when: CEL: no such overload: int >= string',
    ],
    [
      'a window the config does not name',
      STORM,
      'window.storm_5m.count >= 5',
      'storm_5m',
      'rules.1.when: CEL: No such key: storm_5m',
    ],
    [
      'has() of a misspelt field',
      P1_PRIORITY,
      '(has(incident.prority) && incident.priority == 1)',
      'prority',
      'rules.0.when: CEL: No such key: prority',
    ],
    [
      'a priority compared with a string',
      P1_PRIORITY,
      '(has(incident.priority) && incident.priority == "1")',
      'incident.priority == "1"',
      'rules.0.when: CEL: no such overload: int == string',
    ],
  ])('refuses %s with its position', async (_, find, replace, blamed, message) => {
    const { result, text, dir } = await checkWith(find, replace);
    expect(result.ok).toBe(false);
    expect(result.text.split('\n')[0]).toBe(`${at(text, blamed, dir)} ${message}`);
  });

  it('checks window filters against the same facts', async () => {
    const { result } = await checkWith('!has(incident.state)', '!has(incident.sate)');
    expect(result.text).toMatch(/rules\.yaml:\d+:\d+ windows\.0\.filter: CEL: No such key: sate/);
  });
});

describe('typed facts at run time', () => {
  it('a field an event lacks is still absent: has() is false, reading it is an error that does not match', () => {
    const rules = compile([
      { id: 'guarded', when: 'has(incident.caller) && incident.caller in vips' },
      { id: 'bare', when: 'incident.caller in vips' },
    ]);
    const [guarded, bare] = evaluate(rules, facts({}), { explain: 'none' }).results;
    expect(guarded).toEqual({ ruleId: 'guarded', then: 'declare', matched: false });
    expect(bare).toMatchObject({ matched: false, error: 'No such key: caller' });
  });

  it('an unmapped incident has a service with no fields, never null', () => {
    const rules = compile([{ id: 'unmapped', when: '!has(service.id)' }]);
    expect(evaluate(rules, facts({}, null)).results[0]).toMatchObject({ matched: true });
    expect(evaluate(rules, facts({})).results[0]).toMatchObject({ matched: false });
  });

  it('reads the catalogue fields a service has, nested ones too', () => {
    const rules = compile([{ id: 'owned', when: 'service.owners.commsLead == "comms@example.com"' }]);
    const service = { id: 'payroll', tier: 1, owners: { commsLead: 'comms@example.com' } };
    expect(evaluate(rules, facts({}, service)).results[0]).toMatchObject({ matched: true });
  });
});
