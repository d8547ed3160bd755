import type { MajorIncident, TimelineEntry } from '../../../../src/domain/major-incident.ts';

/** A declared ServiceNow-origin major incident: detected 09:00, created 09:02, declared 09:05. */
export function declaredMi(over: Partial<MajorIncident> = {}): MajorIncident {
  return {
    id: 'MI-TEST-payroll',
    serviceId: 'payroll',
    state: 'declared',
    title: 'Payroll down',
    origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' },
    configVersion: 'v1',
    roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu' },
    links: {},
    detectedAt: '2026-03-02T09:00:00.000Z',
    createdAt: '2026-03-02T09:02:00.000Z',
    declaredAt: '2026-03-02T09:05:00.000Z',
    updatedAt: '2026-03-02T09:05:00.000Z',
    ...over,
  };
}

export const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;

export function entry(kind: string, time: string, detail: Record<string, unknown> = {}): TimelineEntry {
  return { at: at(time), kind, actor: { type: 'system', id: 'test' }, detail };
}
