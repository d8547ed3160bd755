import { afterAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/store/event-log.ts';
import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import { testRedis } from '../../helpers/redis.ts';

const { redis, prefix, clean } = testRedis();
afterAll(clean);

const event = (n: number): IncidentEvent => ({
  source: 'servicenow',
  deliveryId: `d${n}`,
  kind: 'incident.created',
  vendorEvent: 'insert',
  recordId: `r${n}`,
  updatedAt: '2026-11-20T09:00:00Z',
  receivedAt: '2026-11-20T09:00:01Z',
  changedFields: [],
});

describe('EventLog', () => {
  it('returns appended events oldest first', async () => {
    const log = new EventLog(redis, prefix);
    for (let n = 0; n < 3; n++) await log.append(event(n));
    expect((await log.read()).map((e) => e.deliveryId)).toEqual(['d0', 'd1', 'd2']);
  });
});
