import { describe, expect, it } from 'vitest';
import { SnDisplayRow } from '../../../../src/connectors/servicenow/outbound-schema.ts';
import { normalizeServicenow } from '../../../../src/connectors/servicenow/inbound.ts';
import {
  servicenowRowToEvent,
  sweptRow,
  SN_RECONCILE_EVENT,
} from '../../../../src/connectors/servicenow/reconcile-row.ts';
import { snDisplayRow } from '../../../helpers/servicenow-display-row.ts';
import { snRecord, wrapped } from '../../../helpers/servicenow-record.ts';

const AT = new Date('2026-11-20T09:06:00.000Z');
const request = { rawBody: Buffer.alloc(0), headers: {}, receivedAt: AT };

describe('a swept ServiceNow row', () => {
  it(
    'makes the event the webhook would have made: same delivery id, names from display values, times from stored ' +
      'values',
    () => {
      const row = SnDisplayRow.parse(snDisplayRow());
      const result = servicenowRowToEvent(row, AT);
      const webhook = normalizeServicenow(wrapped(snRecord()), request);
      if (result.kind !== 'event' || webhook.kind !== 'event')
        throw new Error(`expected events, got ${result.kind}/${webhook.kind}`);
      expect(result.event).toEqual({ ...webhook.event, vendorEvent: SN_RECONCILE_EVENT });
      expect(result.event).toMatchObject({
        deliveryId: '9d385017c611228701d22104cc95c371@3',
        serviceName: 'Payroll',
        ciName: 'payroll-app01',
        state: 'in_progress',
        priority: 1,
        updatedAt: '2026-11-20T09:05:00Z',
        updatedBy: 'fred.luddy',
        kind: 'incident.updated',
      });
    },
  );

  it('never turns a journal read back (the whole history) into a comment', () => {
    const row = SnDisplayRow.parse(
      snDisplayRow({
        comments: '2026-11-20 09:04:00 - Fred Luddy (Additional comments)\nstill down',
        work_notes: 'old note',
      }),
    );
    const result = servicenowRowToEvent(row, AT);
    expect(result.kind === 'event' && result.event.comment).toBe(undefined);
  });

  it('reads a proposed major incident as one', () => {
    const result = servicenowRowToEvent(SnDisplayRow.parse(snDisplayRow({ major_incident_state: 'proposed' })), AT);
    expect(result.kind === 'event' && result.event.majorIncidentState).toBe('proposed');
  });

  it('is invalid, not an event, when its update time is not a date', () => {
    const result = servicenowRowToEvent(SnDisplayRow.parse(snDisplayRow({ sys_updated_on: '20.11.2026 09:05' })), AT);
    expect(result.kind).toBe('invalid');
  });

  it('gives the cursor its stored time and sys_id@sys_mod_count', () => {
    expect(sweptRow(SnDisplayRow.parse(snDisplayRow()))).toEqual({
      at: '2026-11-20 09:05:00',
      key: '9d385017c611228701d22104cc95c371@3',
    });
    expect(sweptRow(SnDisplayRow.parse({ number: { value: 'INC1', display_value: 'INC1' } }))).toBe(undefined);
  });
});
