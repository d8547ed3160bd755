import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { evaluate, type WindowCounts } from '../../../src/rules/evaluate.ts';
import { buildFacts, type IncidentFacts } from '../../../src/rules/facts.ts';
import { windowDefinitions, windowFacts } from '../../../src/rules/windows.ts';

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig('config');
});

const NOW = new Date('2026-11-20T09:00:00Z');
const incident = (fields: Partial<IncidentFacts>): IncidentFacts => ({
  source: 'servicenow',
  recordId: 'rec-1',
  title: 'Something is wrong',
  updatedAt: NOW.toISOString(),
  ...fields,
});
const run = (fields: Partial<IncidentFacts>, window: Record<string, WindowCounts> = {}) =>
  evaluate(config.compiled, buildFacts(config, incident(fields), { window, now: NOW }));

describe('the shipped rules, case 1: P1 (or impact 1 × urgency 1) on a tier-1 service → declare', () => {
  it('declares a P1 on Payroll, with the values that decided it', () => {
    const result = run({ serviceName: 'Payroll', priority: 1 });
    expect(result).toMatchObject({
      decision: 'declare',
      decidedBy: 'p1-on-tier-1',
      unmapped: false,
      configVersion: config.version,
    });
    expect(result.results).toHaveLength(1);
    expect(result.results[0]!.explanation).toEqual(
      expect.arrayContaining([
        { expr: 'service.tier == 1', value: true },
        { expr: 'incident.priority == 1', value: true },
      ]),
    );
  });

  it('declares impact 1 × urgency 1 without a priority', () => {
    expect(run({ serviceName: 'Payroll Portal', impact: 1, urgency: 1 })).toMatchObject({
      decision: 'declare',
      decidedBy: 'p1-on-tier-1',
    });
  });

  it('does not declare a P1 on the tier-2 or tier-3 service by that rule', () => {
    expect(run({ serviceName: 'Single Sign-On', priority: 1 })).toMatchObject({
      decision: 'propose',
      decidedBy: 'p1-on-tier-2',
    });
    expect(run({ serviceName: 'Library Catalogue', priority: 1 }).decision).toBe('none');
    expect(run({ serviceName: 'Payroll', priority: 2 }).decision).toBe('none');
  });
});

describe('case 2: ≥ 5 incidents for one service within 10 minutes → declare (storm)', () => {
  it('declares at five, not at four, on any tier', () => {
    expect(
      run({ serviceName: 'Library Catalogue', priority: 4 }, { storm_10m: { count: 5, distinctCallers: 5 } }),
    ).toMatchObject({ decision: 'declare', decidedBy: 'storm' });
    expect(
      run({ serviceName: 'Library Catalogue', priority: 4 }, { storm_10m: { count: 4, distinctCallers: 4 } }).decision,
    ).toBe('none');
    expect(run({ serviceName: 'Library Catalogue', priority: 4 }).decision).toBe('none');
  });

  it("counts open incidents of the service with the window's own filter and an exact sliding window", () => {
    const [storm] = windowDefinitions(config);
    expect(storm).toMatchObject({ id: 'storm_10m', durationMs: 600_000, per: 'service' });
    const service = config.services.services.find((s) => s.id === 'library-catalogue')!;
    const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
    const events: IncidentFacts[] = [
      incident({ recordId: 'a', state: 'new', updatedAt: at(11), caller: 'u1' }), // too old
      incident({ recordId: 'b', state: 'resolved', updatedAt: at(3), caller: 'u2' }), // resolved: does not count
      incident({ recordId: 'c', state: 'new', updatedAt: at(9), caller: 'u3' }),
      incident({ recordId: 'd', state: 'in_progress', updatedAt: at(6), caller: 'u3' }),
      incident({ recordId: 'e', updatedAt: at(2), caller: 'u4' }),
      incident({ recordId: 'h', state: 'on_hold', updatedAt: at(4), caller: 'u4' }),
      incident({ recordId: 'c', state: 'in_progress', updatedAt: at(1), caller: 'u3' }), // same incident again
    ];
    const counted = events
      .filter((e) => storm!.matches({ incident: e, service, now: NOW }))
      .map((e) => ({ at: e.updatedAt!, incidentKey: `${e.source}/${e.recordId}`, caller: e.caller }));
    const four = windowFacts(counted, NOW, storm!.durationMs);
    expect(four).toEqual({ count: 4, distinctCallers: 2 });
    expect(run({ serviceName: 'Library Catalogue' }, { storm_10m: four }).decision).toBe('none');
    const five = windowFacts(
      [...counted, { at: at(0), incidentKey: 'servicenow/f', caller: 'u5' }],
      NOW,
      storm!.durationMs,
    );
    expect(five).toEqual({ count: 5, distinctCallers: 3 });
    expect(run({ serviceName: 'Library Catalogue' }, { storm_10m: five })).toMatchObject({
      decision: 'declare',
      decidedBy: 'storm',
    });
  });
});

describe('case 3: a P2 reading like an outage, or a VIP caller, on tier 1 or 2 → propose', () => {
  it.each([
    'SSO login page DOWN for students',
    'Outage: identity provider',
    'Portal unavailable since 9am',
    'Staff cannot log in',
    'cannot login to payroll',
    "Can't log in to SSO",
    'MFA not working',
  ])('proposes "%s"', (title) => {
    expect(run({ serviceName: 'Single Sign-On', priority: 2, title })).toMatchObject({
      decision: 'propose',
      decidedBy: 'p2-outage-or-vip',
    });
  });

  it.each(['Slow login page', 'Download of payslips is slow', 'Password reset question'])(
    'does not propose "%s"',
    (title) => {
      expect(run({ serviceName: 'Single Sign-On', priority: 2, title }).decision).toBe('none');
    },
  );

  it('does not propose on tier 3, nor a P3 outage', () => {
    expect(run({ serviceName: 'Library Catalogue', priority: 2, title: 'Catalogue is down' }).decision).toBe('none');
    expect(run({ serviceName: 'Payroll', priority: 3, title: 'Payroll is down' }).decision).toBe('none');
  });

  it('proposes any incident from a VIP caller (services.yaml vips), from ServiceNow or Jira', () => {
    expect(run({ serviceName: 'Payroll', priority: 4, caller: 'Vice-Chancellor' })).toMatchObject({
      decision: 'propose',
      decidedBy: 'p2-outage-or-vip',
    });
    expect(
      run({ source: 'jira', number: 'PAY-17', serviceName: 'PAY', priority: 3, caller: 'Chief Financial Officer' }),
    ).toMatchObject({ decision: 'propose' });
    expect(run({ serviceName: 'Payroll', priority: 4, caller: 'A Student' }).decision).toBe('none');
    expect(run({ serviceName: 'Library Catalogue', priority: 4, caller: 'Registrar' }).decision).toBe('none');
  });
});

describe('case 4: a service not in the catalogue → never declared, reported unmapped', () => {
  it('does not decide even when every rule would match', () => {
    const result = run(
      { serviceName: 'Car Park Barriers', priority: 1, impact: 1, urgency: 1 },
      { storm_10m: { count: 50, distinctCallers: 20 } },
    );
    expect(result).toMatchObject({ decision: 'none', unmapped: true });
    expect(result.decidedBy).toBeUndefined();
    // The rules still ran, so a simulation shows what would have happened.
    expect(result.results.find((r) => r.ruleId === 'storm')).toMatchObject({ matched: true });
  });

  it('treats a Jira project or a PagerDuty incident outside the catalogue the same way', () => {
    expect(run({ source: 'jira', number: 'OPS-9', serviceName: 'OPS', priority: 1 })).toMatchObject({
      decision: 'none',
      unmapped: true,
    });
    expect(run({ source: 'pagerduty', serviceName: 'Payroll', priority: 1 })).toMatchObject({
      decision: 'none',
      unmapped: true,
    });
  });
});
