import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/files/load-config.ts';
import { rulesRuntime } from '../../../src/orchestrator/rules-adapter.ts';
import { targetsFor } from '../../../src/process/targets.ts';
import { plannedTimers } from '../../../src/process/timers-plan.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { issuesOf, tempConfig } from '../config/temp-config.ts';

/**
 * The process targets of rules.yaml `tiers.<n>` (docs/process.md#targets): what each tier's file says, the
 * defaults, the deprecated pirDueDays, the bounds (each refused with the field named), and the timers planning
 * from them.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIER_3 =
  "  '3': { ackTimeout: 30m, mobilise: 15m, firstComms: 15m, cadence: 4h, pirDue: 20d, autoPost: false, maxEscalations: 1 }\n";

/** The shipped config with tier 3's line replaced by `tier` (YAML flow map). */
async function withTier3(tier: string) {
  const t = tempConfig();
  t.replace('rules.yaml', TIER_3, `  '3': ${tier}\n`);
  return t;
}

describe('targetsFor', () => {
  it("reads each tier's targets from the shipped rules.yaml", async () => {
    const { rules } = await loadConfig('config');
    expect(targetsFor(rules, 1)).toEqual({
      ackMs: 5 * MIN,
      mobiliseMs: 15 * MIN,
      firstCommsMs: 15 * MIN,
      cadenceMs: 30 * MIN,
      pirDueMs: 5 * DAY,
    });
    expect(targetsFor(rules, 2)).toMatchObject({ ackMs: 10 * MIN, cadenceMs: HOUR, pirDueMs: 10 * DAY });
    expect(targetsFor(rules, 3)).toMatchObject({ ackMs: 30 * MIN, cadenceMs: 4 * HOUR, pirDueMs: 20 * DAY });
  });

  it("gives a tier outside the table tier 3's targets", async () => {
    const { rules } = await loadConfig('config');
    expect(targetsFor(rules, 7)).toEqual(targetsFor(rules, 3));
    expect(targetsFor(rules, undefined)).toEqual(targetsFor(rules, 3));
  });

  it('takes every target from the file, a PIR due under a day included', async () => {
    const t = await withTier3(
      '{ ackTimeout: 2m, mobilise: 10m, firstComms: 20m, cadence: 45m, pirDue: 12h, maxEscalations: 1 }',
    );
    expect(targetsFor((await loadConfig(t.dir)).rules, 3)).toEqual({
      ackMs: 2 * MIN,
      mobiliseMs: 10 * MIN,
      firstCommsMs: 20 * MIN,
      cadenceMs: 45 * MIN,
      pirDueMs: 12 * HOUR,
    });
  });

  it('fills the defaults of a tier that gives none: the 15-minute targets, 5m, 30m, 5d', async () => {
    const t = await withTier3('{}');
    expect(targetsFor((await loadConfig(t.dir)).rules, 3)).toEqual({
      ackMs: 5 * MIN,
      mobiliseMs: 15 * MIN,
      firstCommsMs: 15 * MIN,
      cadenceMs: 30 * MIN,
      pirDueMs: 5 * DAY,
    });
  });

  it('still loads the deprecated pirDueDays, as days', async () => {
    const t = await withTier3('{ ackTimeout: 30m, cadence: 4h, pirDueDays: 20, autoPost: false, maxEscalations: 1 }');
    const { rules } = await loadConfig(t.dir);
    expect(rules.tiers['3'].pirDue).toBe('20d');
    expect(targetsFor(rules, 3).pirDueMs).toBe(20 * DAY);
  });
});

describe('tiers: bad targets are refused with the field named', () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['{ cadence: 0s }', 'tiers.3.cadence', 'must be from 1s to 24h'],
    ['{ cadence: 500ms }', 'tiers.3.cadence', 'must be from 1s to 24h'],
    ['{ ackTimeout: 2d }', 'tiers.3.ackTimeout', 'must be from 1s to 24h'],
    ['{ mobilise: 25h }', 'tiers.3.mobilise', 'must be from 1s to 24h'],
    ['{ firstComms: soon }', 'tiers.3.firstComms', 'a duration such as 30s, 10m, 1h or 2d'],
    ['{ pirDue: 30m }', 'tiers.3.pirDue', 'must be from 1h to 90d'],
    ['{ pirDue: 91d }', 'tiers.3.pirDue', 'must be from 1h to 90d'],
    ['{ pirDueDays: 0 }', 'tiers.3.pirDueDays', 'Too small: expected number to be >=1'],
    [
      '{ pirDue: 5d, pirDueDays: 5 }',
      'tiers.3.pirDueDays',
      'give pirDue or the deprecated pirDueDays, not both (pirDueDays: 5 is pirDue: 5d)',
    ],
  ];
  it.each(cases)('%s → %s', async (tier, path, message) => {
    const t = await withTier3(tier);
    const issues = await issuesOf(t.dir);
    expect(issues.map((i) => [i.file, i.path, i.message])).toEqual([['rules.yaml', path, message]]);
  });
});

describe('the timers plan from the tier targets', () => {
  it("checks mobilisation at the tier's mobilise target, not a fixed fifteen minutes", async () => {
    const t = await withTier3('{ ackTimeout: 1h, mobilise: 7m, cadence: 2h }');
    const runtime = rulesRuntime(await loadConfig(t.dir));
    const declared = '2026-11-20T09:00:00.000Z';
    const mi = {
      id: 'MI-1',
      serviceId: 'library-catalogue',
      state: 'declared',
      title: 'Catalogue down',
      priority: 1,
      origin: { source: 'servicenow', recordId: 'a'.repeat(32) },
      configVersion: 'v',
      roles: {},
      links: {},
      createdAt: declared,
      declaredAt: declared,
      updatedAt: declared,
    } as MajorIncident;
    const plan = plannedTimers(mi, [], runtime.tierTimers(3));
    expect(plan.map((p) => [p.kind, (p.at - Date.parse(declared)) / MIN])).toEqual([
      ['ack', 60],
      ['mobilise', 7],
      ['cadence', 120],
    ]);
  });
});
