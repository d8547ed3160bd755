import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/rules/evaluate.ts';
import { MAX_REASON, redactEventText, runErrors } from '../../../src/rules/run-errors.ts';
import { compile, facts } from './rules-helpers.ts';

describe('run-time rule errors', () => {
  it('are the rules that erred, with the config version, time and incident key', () => {
    const rules = compile(
      [
        { id: 'bare', when: 'incident.impact == 1' },
        { id: 'fine', when: 'has(incident.impact) && incident.impact == 1' },
      ],
      {},
    );
    expect(runErrors(evaluate(rules, facts({ priority: 2 })), 'jira/1', 5)).toEqual([
      { rule: 'bare', error: 'No such key: impact', configVersion: 'test-version', at: 5, incident: 'jira/1' },
    ]);
  });

  it('leave out unmapped incidents, which are never decided', () => {
    const rules = compile([{ id: 'tier', when: 'service.tier == 1' }]);
    const evaluation = evaluate(rules, facts({}, null));
    expect(evaluation.results[0]!.error).toBe('No such key: tier');
    expect(runErrors(evaluation, 'servicenow/x', 1)).toEqual([]);
  });

  it('redact text quoted from the event, keep field and type names, and stay short', () => {
    const rules = compile([{ id: 're', when: 'incident.title.matches(incident.description)' }]);
    const [e] = runErrors(evaluate(rules, facts({ title: 't', description: 'password=hunter2(?=x)' })), 'k', 1);
    expect(e!.error).toMatch(/^not an RE2 regular expression/);
    expect(e!.error).not.toContain('hunter2');
    expect(redactEventText('no "secret" here, `nor` here')).toBe('no "…" here, `…` here');
    expect(redactEventText("Field 'priority' is not of type 'int'")).toBe("Field 'priority' is not of type 'int'");
    expect(redactEventText('x'.repeat(500))).toHaveLength(MAX_REASON + 1);
  });
});
