import { describe, expect, it } from 'vitest';
import { plannedTimers, type TierTimers } from '../../../../src/process/timers-plan.ts';
import { fireTimer } from '../../../../src/process/timer-fire.ts';
import type { MajorIncident, TimelineEntry } from '../../../../src/domain/major-incident.ts';

const T0 = Date.parse('2026-11-20T09:00:00Z');
const MIN = 60_000;
const tier: TierTimers = {
  ackTimeoutMs: 5 * MIN,
  mobiliseMs: 15 * MIN,
  cadenceMs: 30 * MIN,
  pirDueMs: 5 * 24 * 60 * MIN,
  maxEscalations: 2,
  autoPost: false,
};
const mi = (over: Partial<MajorIncident> = {}): MajorIncident => ({
  id: 'MI-1',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll down',
  priority: 1,
  origin: { source: 'servicenow', recordId: 'a'.repeat(32) },
  configVersion: 'v',
  roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu', serviceOwner: 'owner@example.edu' },
  links: {},
  detectedAt: new Date(T0 - 2 * MIN).toISOString(),
  createdAt: new Date(T0).toISOString(),
  declaredAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
  ...over,
});
const at = (ms: number) => new Date(T0 + ms).toISOString();
const e = (kind: string, ms: number, detail: Record<string, unknown> = {}): TimelineEntry => ({
  at: at(ms),
  kind,
  actor: { type: 'system', id: 'x' },
  detail,
});
const declaredEntry = e('state.changed', 0, { from: 'none', to: 'declared' });
const kinds = (ts: ReturnType<typeof plannedTimers>) => ts.map((t) => [t.kind, t.n, (t.at - T0) / MIN]);

describe('plannedTimers', () => {
  it('plans the ack, mobilisation and cadence timers from the declaration', () => {
    expect(kinds(plannedTimers(mi(), [declaredEntry], tier))).toEqual([
      ['ack', 1, 5],
      ['mobilise', 1, 15],
      ['cadence', 1, 30],
    ]);
  });

  it('repeats the escalation every ackTimeout up to maxEscalations, and stops on an acknowledgement', () => {
    const once = [declaredEntry, e('escalation.ack', 5 * MIN)];
    expect(kinds(plannedTimers(mi(), once, tier))[0]).toEqual(['ack', 2, 10]);
    expect(plannedTimers(mi(), [...once, e('escalation.ack', 10 * MIN)], tier).some((t) => t.kind === 'ack')).toBe(
      false,
    );
    expect(
      plannedTimers(mi(), [declaredEntry, e('page.acknowledged', 2 * MIN)], tier).some((t) => t.kind === 'ack'),
    ).toBe(false);
  });

  it('gives a timer whose plan moved a new id, and the same plan the same id', () => {
    const a = plannedTimers(mi(), [declaredEntry], tier);
    expect(plannedTimers(mi(), [declaredEntry], tier).map((t) => t.id)).toEqual(a.map((t) => t.id));
    const redeclared = plannedTimers(
      mi(),
      [
        declaredEntry,
        e('state.changed', 60 * MIN, { to: 'resolved' }),
        e('state.changed', 70 * MIN, { to: 'declared' }),
      ],
      tier,
    );
    expect(redeclared.find((t) => t.kind === 'cadence')!.id).not.toBe(a.find((t) => t.kind === 'cadence')!.id);
  });

  it('has no timers but the PIR reminder once resolved, and none once the PIR was reminded or done', () => {
    const resolved = mi({ state: 'resolved', resolvedAt: at(60 * MIN) });
    expect(kinds(plannedTimers(resolved, [declaredEntry], tier))).toEqual([['pir', 1, 60 + 5 * 24 * 60]]);
    expect(plannedTimers(resolved, [declaredEntry, e('pir.reminded', 0)], tier)).toEqual([]);
    expect(plannedTimers(resolved, [declaredEntry, e('pir.completed', 0)], tier)).toEqual([]);
    expect(plannedTimers(mi({ state: 'candidate', declaredAt: undefined }), [], tier)).toEqual([]);
    expect(plannedTimers(mi({ state: 'rejected' }), [declaredEntry], tier)).toEqual([]);
  });
});

describe('fireTimer (injected clock)', () => {
  const facts = (timeline: TimelineEntry[], nowMs: number, over: Partial<TierTimers> = {}) => ({
    mi: mi(),
    timeline,
    tier: { ...tier, ...over },
    now: new Date(T0 + nowMs),
    updateJobs: (n: number) => [
      {
        majorIncidentId: 'MI-1',
        do: 'notify' as const,
        target: 'slack' as const,
        effect: 'cadence',
        step: 0,
        round: n,
        params: {},
      },
    ],
  });
  const timer = (timeline: TimelineEntry[], kind: string) =>
    plannedTimers(mi(), timeline, tier).find((t) => t.kind === kind)!;

  it('escalates an unacknowledged page: pages the escalation key and emails the manager', () => {
    const t = timer([declaredEntry], 'ack');
    const out = fireTimer(t, facts([declaredEntry], 5 * MIN));
    expect(out).toMatchObject({ kind: 'fired', escalated: true });
    expect(out.kind === 'fired' && out.jobs.map((j) => [j.do, j.target, j.channel ?? null, j.params])).toEqual([
      ['pagerduty.trigger', 'pagerduty', null, { escalation: true, n: 1 }],
      ['notify', 'email', 'mim@example.edu', { template: 'escalation', register: 'technical' }],
    ]);
  });

  it('does nothing when the page was acknowledged meanwhile, and waits when it fires early', () => {
    const t = timer([declaredEntry], 'ack');
    expect(fireTimer(t, facts([declaredEntry, e('page.acknowledged', MIN)], 5 * MIN))).toEqual({ kind: 'stale' });
    expect(fireTimer(t, facts([declaredEntry], 4 * MIN))).toEqual({ kind: 'early', at: T0 + 5 * MIN });
  });

  it('checks the mobilisation checklist once and names what is missing', () => {
    const t = timer([declaredEntry], 'mobilise');
    const done = [
      declaredEntry,
      e('roles.assigned', 0),
      e('page.acknowledged', MIN),
      e('action.completed', 2 * MIN, { do: 'jira.create_issue' }),
    ];
    const out = fireTimer(t, facts(done, 15 * MIN));
    expect(out.kind === 'fired' && out.entries[0]!.detail).toMatchObject({ met: false, unmet: ['firstCommunication'] });
    const all = [...done, e('action.completed', 3 * MIN, { do: 'notify', template: 'declared' })];
    expect(fireTimer(t, facts(all, 15 * MIN))).toMatchObject({ kind: 'fired', escalated: false, jobs: [] });
  });

  it('marks a cadence interval overdue when no update went out, and posts the update playbook with autoPost', () => {
    const t = timer([declaredEntry], 'cadence');
    expect(fireTimer(t, facts([declaredEntry], 30 * MIN))).toMatchObject({
      kind: 'fired',
      overdue: true,
      jobs: [{ channel: 'comms@example.edu', params: { template: 'update-due' } }],
    });
    const updated = [declaredEntry, e('action.completed', 20 * MIN, { do: 'notify', template: 'update' })];
    expect(fireTimer(t, facts(updated, 30 * MIN))).toMatchObject({ overdue: false });
    const auto = fireTimer(t, facts([declaredEntry], 30 * MIN, { autoPost: true }));
    expect(auto.kind === 'fired' && auto.jobs).toEqual([
      { majorIncidentId: 'MI-1', do: 'notify', target: 'slack', effect: 'cadence', step: 0, round: 1, params: {} },
    ]);
  });

  it('tells a role by email only when it names an address', () => {
    const group = {
      ...facts([declaredEntry], 5 * MIN),
      mi: mi({ roles: { majorIncidentManager: 'Major Incident Managers' } }),
    };
    const out = fireTimer(timer([declaredEntry], 'ack'), group);
    expect(out.kind === 'fired' && out.jobs.map((j) => j.do)).toEqual(['pagerduty.trigger']);
  });
});
