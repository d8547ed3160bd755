import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { compileRules } from '../../../src/rules/compile-rules.ts';
import { evaluateRules, type RuleFacts } from '../../../src/rules/evaluate.ts';
import { resolveService } from '../../../src/rules/resolve-service.ts';
import { planActions } from '../../../src/rules/plan-actions.ts';
import { RulesFile } from '../../../src/config/files/schema.ts';

let config: LoadedConfig;
beforeAll(async () => { config = await loadConfig('config'); });

const service = (id: string) => config.services.services.find((s) => s.id === id)!;
const facts = (incident: Record<string, unknown>, serviceId: string | null, storm = 0): RuleFacts => ({
  incident: { source: 'servicenow', recordId: 'r1', title: 'Something broke', ...incident },
  service: serviceId ? service(serviceId) : null,
  window: { storm_10m: { count: storm, distinctCallers: 0 } },
  vips: config.services.vips,
  now: new Date('2026-11-20T09:00:00Z'),
});
const evaluate = (f: RuleFacts) => evaluateRules(config.compiled, f, 'matched');

describe('default rules', () => {
  it('1. declares a P1 on a tier-1 service, and says which values decided it', () => {
    const result = evaluate(facts({ priority: 1 }, 'payroll'));
    expect(result).toMatchObject({ decision: 'declare', decidedBy: 'p1-on-tier-1', unmapped: false });
    expect(result.results[0]!.explanation).toEqual(expect.arrayContaining([
      { expr: 'service.tier == 1', value: true },
      { expr: 'incident.priority == 1', value: true },
    ]));
  });

  it('1. declares impact 1 × urgency 1 even without a priority', () => {
    expect(evaluate(facts({ impact: 1, urgency: 1 }, 'identity'))).toMatchObject({ decision: 'declare', decidedBy: 'p1-on-tier-1' });
  });

  it('1. does not declare a P1 on a tier-3 service by that rule', () => {
    expect(evaluate(facts({ priority: 1 }, 'library-catalogue')).decision).toBe('none');
  });

  it('2. declares a storm at five incidents in the window, not at four', () => {
    expect(evaluate(facts({ priority: 4 }, 'library-catalogue', 5))).toMatchObject({ decision: 'declare', decidedBy: 'storm' });
    expect(evaluate(facts({ priority: 4 }, 'library-catalogue', 4)).decision).toBe('none');
  });

  it('3. proposes a P2 with outage words in the title on tier 1 or 2', () => {
    expect(evaluate(facts({ priority: 2, title: 'SSO login page DOWN for students' }, 'identity'))).toMatchObject({ decision: 'propose', decidedBy: 'p2-outage-or-vip' });
    expect(evaluate(facts({ priority: 2, title: 'Slow login page' }, 'identity')).decision).toBe('none');
    expect(evaluate(facts({ priority: 2, title: 'Catalogue is down' }, 'library-catalogue')).decision).toBe('none');
  });

  it('3. proposes any incident from a VIP caller on tier 1 or 2', () => {
    expect(evaluate(facts({ priority: 4, caller: 'Vice-Chancellor' }, 'payroll'))).toMatchObject({ decision: 'propose' });
    expect(evaluate(facts({ priority: 4, caller: 'A Student' }, 'payroll')).decision).toBe('none');
  });

  it('4. never declares an incident on a service outside the catalogue', () => {
    const result = evaluate(facts({ priority: 1 }, null, 50));
    expect(result).toMatchObject({ decision: 'none', unmapped: true });
    expect(result.decidedBy).toBeUndefined();
  });

  it('treats a rule that reads a missing field as not matching, with the error', () => {
    const compiled = compileRules(RulesFile.parse({ rules: [{ id: 'x', description: 'd', when: 'incident.missing == 1', then: 'declare' }], playbooks: {} })).compiled;
    const result = evaluateRules(compiled, facts({}, 'payroll'), 'matched');
    expect(result.decision).toBe('none');
    expect(result.results[0]).toMatchObject({ ruleId: 'x', matched: false, error: expect.stringMatching(/missing/) });
  });
});

describe('first-match and strongest', () => {
  const file = (evaluation: 'first-match' | 'strongest') => RulesFile.parse({
    evaluation,
    rules: [
      { id: 'weak', description: 'd', when: 'incident.priority <= 3', then: 'propose' },
      { id: 'strong', description: 'd', when: 'incident.priority == 1', then: 'declare' },
    ],
    playbooks: {},
  });
  it('first-match takes the first matching rule in file order', () => {
    expect(evaluateRules(compileRules(file('first-match')).compiled, facts({ priority: 1 }, 'payroll'))).toMatchObject({ decision: 'propose', decidedBy: 'weak' });
  });
  it('strongest takes declare over propose across all matches', () => {
    expect(evaluateRules(compileRules(file('strongest')).compiled, facts({ priority: 1 }, 'payroll'))).toMatchObject({ decision: 'declare', decidedBy: 'strong' });
  });
});

describe('resolveService', () => {
  it('maps ServiceNow business services and CIs, Jira components and projects, case-insensitively', () => {
    const idx = config.serviceIndex;
    expect(resolveService(idx, { source: 'servicenow', serviceName: 'payroll portal' })?.id).toBe('payroll');
    expect(resolveService(idx, { source: 'servicenow', ciName: 'ldap-prod-02' })?.id).toBe('identity');
    expect(resolveService(idx, { source: 'jira', serviceName: 'MFA', number: 'OPS-1' })?.id).toBe('identity');
    expect(resolveService(idx, { source: 'jira', number: 'LIB-77' })?.id).toBe('library-catalogue');
    expect(resolveService(idx, { source: 'servicenow', serviceName: 'Car Park Barriers' })).toBeNull();
  });
});

describe('planActions', () => {
  it('expands the declare playbook with the service audiences', () => {
    const actions = planActions({ id: 'MI-1', serviceId: 'payroll' }, ['declare'], config.rules.playbooks, service('payroll'));
    expect(actions.map((a) => a.do)).toEqual(['servicenow.set_major_state', 'jira.create_issue', 'jira.remote_link', 'pagerduty.trigger', 'notify']);
    expect(actions.at(-1)).toMatchObject({ audiences: ['payroll-users', 'finance-leaders', 'service-desk', 'resolvers'], template: 'declared', majorIncidentId: 'MI-1' });
  });
  it('plans nothing for a proposal, and resolve then close for a direct close', () => {
    expect(planActions({ id: 'MI-1', serviceId: 'payroll' }, ['propose'], config.rules.playbooks, service('payroll'))).toEqual([]);
    const both = planActions({ id: 'MI-1', serviceId: 'payroll' }, ['resolve', 'close'], config.rules.playbooks, service('payroll'));
    expect(both.map((a) => a.effect)).toEqual(['resolve', 'resolve', 'resolve', 'resolve', 'close', 'close']);
  });
});
