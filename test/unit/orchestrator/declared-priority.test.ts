import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { movedTo, raisedPriority } from '../../../src/domain/major-incident.ts';
import { rulesRuntime } from '../../../src/orchestrator/rules-adapter.ts';
import { declaredMi } from './process/mi-fixture.ts';

/** A declared major incident's priority: the tier's at least, raised by nothing lower. */

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig('config');
});

const AT = new Date('2026-03-02T09:30:00.000Z');
const RULE = { type: 'rule', id: 'storm' } as const;

describe('the priority of a declared major incident', () => {
  it('is the tier priority from rules.yaml, 1 for every tier of the shipped config', () => {
    const runtime = rulesRuntime(config);
    expect(runtime.declaredPriority('payroll')).toBe(1);
    expect(runtime.declaredPriority('not-in-the-catalogue')).toBe(1);
  });

  it('follows a changed tier priority, and a tier that sets none gets 1', () => {
    const tiers = { ...config.rules.tiers, '1': { ...config.rules.tiers['1'], priority: 2 } };
    const payrollTier = config.services.services.find((s) => s.id === 'payroll')?.tier;
    const runtime = rulesRuntime({ ...config, rules: { ...config.rules, tiers } });
    expect(runtime.declaredPriority('payroll')).toBe(payrollTier === 1 ? 2 : 1);
  });

  it('declaring a P3 candidate raises it to the tier priority', () => {
    const candidate = declaredMi({ state: 'candidate', priority: 3, originPriority: 3 });
    const declared = movedTo(candidate, 'declared', AT, RULE, 1);
    expect(declared.priority).toBe(1);
    expect(declared.originPriority).toBe(3);
  });

  it('a P1 origin keeps P1 when its tier sets 2: the tier sets a floor, not a ceiling', () => {
    expect(movedTo(declaredMi({ state: 'candidate', priority: 1 }), 'declared', AT, RULE, 2).priority).toBe(1);
  });

  it('a P3 child does not lower a P1 major incident, neither when it attaches nor when it re-opens it', () => {
    expect(raisedPriority(1, 3)).toBe(1);
    const resolved = movedTo(declaredMi({ priority: 1 }), 'resolved', AT, RULE, 3);
    expect(resolved.priority).toBe(1);
    // The P3 child's re-open under a tier that would give 3: still P1.
    expect(movedTo(resolved, 'declared', AT, RULE, 3).priority).toBe(1);
  });

  it('a P1 offered to a P2 raises it; nothing offered keeps what is held', () => {
    expect(raisedPriority(2, 1)).toBe(1);
    expect(raisedPriority(2, undefined)).toBe(2);
    expect(raisedPriority(undefined, 3)).toBe(3);
    expect(movedTo(declaredMi({ priority: 4 }), 'resolved', AT, RULE, 1).priority).toBe(4);
  });
});
