import { RulesFile, Service } from '../../../src/config/files/schema.ts';
import { compileRules, type CompiledRules } from '../../../src/rules/compile-rules.ts';
import type { RuleFacts } from '../../../src/rules/evaluate.ts';

type RuleInput = { id: string; when: string; then?: 'propose' | 'declare'; enabled?: boolean };

/** Compiles rules given inline; throws on a compile problem so a typo in a test is loud. */
export function compile(
  rules: RuleInput[],
  extra: Partial<{ evaluation: 'first-match' | 'strongest'; windows: unknown[]; vips: string[] }> = {},
): CompiledRules {
  const file = RulesFile.parse({
    ...(extra.evaluation ? { evaluation: extra.evaluation } : {}),
    windows: extra.windows ?? [],
    rules: rules.map((r) => ({ description: 'test rule', then: 'declare', ...r })),
    playbooks: {},
  });
  const { compiled, problems } = compileRules(file, {
    version: 'test-version',
    vips: extra.vips ?? [],
    serviceSchema: Service,
  });
  if (problems.length) throw new Error(problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n'));
  return compiled;
}

export const NOW = new Date('2026-11-20T09:00:00Z');

export function facts(
  incident: Record<string, unknown>,
  service: Record<string, unknown> | null = { id: 'payroll', tier: 1 },
  window: RuleFacts['window'] = {},
): RuleFacts {
  return { incident: { source: 'servicenow', recordId: 'r1', ...incident }, service, window, now: NOW };
}
