import { describe, expect, it } from 'vitest';
import {
  MAJOR_INCIDENT_ID,
  MajorIncident,
  TimelineEntry,
  majorIncidentId,
} from '../../../src/domain/major-incident.ts';

const valid = {
  id: 'MI-0MHQ8Y2O000-payroll',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll down',
  priority: 1,
  origin: { source: 'servicenow', recordId: '9d385017c611228701d22104cc95c371', number: 'INC0010001' },
  children: [{ source: 'jira', recordId: '10042', number: 'OPS-42', attachedAt: '2026-11-20T10:05:00Z' }],
  configVersion: 'v7',
  declaredBy: { type: 'rule', id: 'p1-critical-service' },
  roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu' },
  links: {
    servicenow: { sysId: '9d385017c611228701d22104cc95c371', number: 'INC0010001' },
    jira: { key: 'OPS-43', id: '10043' },
    pagerduty: { dedupKey: 'mim-MI-0MHQ8Y2O000-payroll', incidentId: 'Q1ABC' },
    slack: { C0123: '1732096800.000100' },
  },
  relatedTo: 'MI-0MHQ1AAAA00-payroll',
  detectedAt: '2026-11-20T09:58:00Z',
  createdAt: '2026-11-20T10:00:00Z',
  declaredAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-20T10:05:00Z',
};

describe('MajorIncident', () => {
  it('parses a full record', () => {
    expect(MajorIncident.parse(valid)).toEqual(valid);
  });
  it('lets children be absent (the store keeps them apart)', () => {
    const { children: _children, ...rest } = valid;
    expect(MajorIncident.safeParse(rest).success).toBe(true);
  });
  it.each([
    ['an id with a colon', { id: 'MI:123' }],
    ['an id without the MI- prefix', { id: '0MHQ8Y2O000-payroll' }],
    ['an unknown state', { state: 'open' }],
    ['a priority outside 1..5', { priority: 6 }],
    ['a child without attachedAt', { children: [{ source: 'jira', recordId: '1' }] }],
    ['relatedTo that is not a major incident id', { relatedTo: 'INC0010001' }],
    ['a time without a zone', { updatedAt: '2026-11-20 10:05' }],
  ])('rejects %s', (_name, change) => {
    expect(MajorIncident.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});

describe('TimelineEntry', () => {
  it('parses an entry with any detail', () => {
    const e = {
      at: '2026-11-20T10:00:00Z',
      kind: 'transition.refused',
      actor: { type: 'source', id: 'jira/agent' },
      detail: { trigger: 'source.reopened', from: 'closed' },
      configVersion: 'v7',
    };
    expect(TimelineEntry.parse(e)).toEqual(e);
  });
  it('rejects an unknown actor type and an empty kind', () => {
    expect(
      TimelineEntry.safeParse({ at: '2026-11-20T10:00:00Z', kind: 'x', actor: { type: 'bot', id: 'b' }, detail: {} })
        .success,
    ).toBe(false);
    expect(
      TimelineEntry.safeParse({ at: '2026-11-20T10:00:00Z', kind: '', actor: { type: 'system', id: 's' }, detail: {} })
        .success,
    ).toBe(false);
  });
});

describe('majorIncidentId', () => {
  const at = new Date('2026-11-20T10:00:00Z');

  it('is deterministic, colon-free and valid as a MajorIncident id', () => {
    const id = majorIncidentId('payroll', at);
    expect(id).toBe(majorIncidentId('payroll', new Date(at.getTime())));
    expect(id).toBe(`MI-${at.getTime().toString(36).toUpperCase().padStart(9, '0')}00-payroll`);
    expect(id).not.toContain(':');
    expect(id).toMatch(MAJOR_INCIDENT_ID);
  });
  it('sorts as text in creation order, then by seq', () => {
    const ids = [
      majorIncidentId('zeta', new Date(1)),
      majorIncidentId('alpha', new Date('2001-01-01T00:00:00Z')),
      majorIncidentId('alpha', at),
      majorIncidentId('alpha', at, 1),
      majorIncidentId('alpha', at, 35),
      majorIncidentId('alpha', at, 36),
      majorIncidentId('alpha', new Date(at.getTime() + 1)),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('folds characters a catalogue id cannot have', () => {
    expect(majorIncidentId('Payroll:EU/West', at)).toMatch(/-payroll-eu-west$/);
    expect(majorIncidentId('', at)).toMatch(/-unknown$/);
  });
  it('throws on a programming error: bad date or seq', () => {
    expect(() => majorIncidentId('payroll', new Date('nope'))).toThrow(RangeError);
    expect(() => majorIncidentId('payroll', at, -1)).toThrow(RangeError);
    expect(() => majorIncidentId('payroll', at, 1296)).toThrow(RangeError);
    expect(() => majorIncidentId('payroll', at, 1.5)).toThrow(RangeError);
  });
  it('keeps the older (time, random) form valid for existing callers', () => {
    expect(majorIncidentId(at, () => 0.5)).toMatch(MAJOR_INCIDENT_ID);
    expect(majorIncidentId(at, () => 0.5)).toBe(majorIncidentId(at, () => 0.5));
  });
});
