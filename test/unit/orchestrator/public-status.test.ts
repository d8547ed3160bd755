import { describe, expect, it } from 'vitest';
import { timelineEntry, type MajorIncident } from '../../../src/domain/major-incident.ts';
import { publicId, publicUpdates, toPublicIncident } from '../../../src/orchestrator/public-status.ts';

const mi: MajorIncident = {
  id: 'MI-0000001-payroll',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll is down',
  origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' },
  configVersion: 'v1',
  roles: { majorIncidentManager: 'mim@example.edu' },
  links: { jira: { key: 'PAY-1' } },
  detectedAt: '2026-12-06T08:55:00.000Z',
  createdAt: '2026-12-06T09:00:00.000Z',
  declaredAt: '2026-12-06T09:01:00.000Z',
  updatedAt: '2026-12-06T09:01:00.000Z',
};
const posted = (at: string, text: string) =>
  timelineEntry({
    at,
    kind: 'update.posted',
    actor: { type: 'person', id: 'comms' },
    detail: { text },
    configVersion: 'v1',
  });

describe('the public view of a major incident', () => {
  it('lists the posted updates and the latest public comment once each, newest first, capped', () => {
    const timeline = [
      posted('2026-12-06T09:10:00.000Z', 'first'),
      timelineEntry({
        at: '2026-12-06T09:12:00.000Z',
        kind: 'comment.synced',
        actor: { type: 'source', id: 'servicenow' },
        detail: { text: 'a work note' },
        configVersion: 'v1',
      }),
      posted('2026-12-06T09:20:00.000Z', 'second'),
    ];
    const latest = {
      text: 'from the ticket',
      author: 'Beth',
      at: '2026-12-06T09:15:00.000Z',
      source: 'servicenow' as const,
      record: 'INC1',
    };
    expect(publicUpdates(timeline, latest)).toEqual([
      { at: '2026-12-06T09:20:00.000Z', text: 'second' },
      { at: '2026-12-06T09:15:00.000Z', text: 'from the ticket' },
      { at: '2026-12-06T09:10:00.000Z', text: 'first' },
    ]);
    // The comms lead's update is also the latest update: shown once.
    expect(publicUpdates(timeline, { ...latest, text: 'second', at: '2026-12-06T09:20:00.000Z' })).toHaveLength(2);
    expect(publicUpdates(timeline, latest, 1)).toEqual([{ at: '2026-12-06T09:20:00.000Z', text: 'second' }]);
  });

  it('carries only the allowed fields, under an id that is not the internal one', () => {
    const out = toPublicIncident(mi, 'Payroll', [{ at: '2026-12-06T09:20:00.000Z', text: 'second' }]);
    expect(out).toEqual({
      id: publicId(mi.id),
      title: 'Payroll is down',
      service: 'Payroll',
      startedAt: '2026-12-06T09:01:00.000Z',
      updatedAt: '2026-12-06T09:20:00.000Z',
      updates: [{ at: '2026-12-06T09:20:00.000Z', text: 'second' }],
    });
    expect(out?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(out)).not.toContain(mi.id);
  });

  it('shows neither a candidate, a resolved one nor an exercise (drill)', () => {
    expect(toPublicIncident({ ...mi, state: 'candidate' }, 'Payroll', [])).toBeUndefined();
    expect(toPublicIncident({ ...mi, state: 'resolved' }, 'Payroll', [])).toBeUndefined();
    expect(toPublicIncident({ ...mi, exercise: true } as MajorIncident, 'Payroll', [])).toBeUndefined();
    expect(toPublicIncident({ ...mi, exercise: false } as MajorIncident, 'Payroll', [])).toBeDefined();
  });
});
