import { afterAll, describe, expect, it } from 'vitest';
import { WindowStore } from '../../../src/store/window-store.ts';
import { testRedis } from '../../helpers/redis.ts';

const { redis, prefix, clean } = testRedis();
afterAll(clean);
const store = new WindowStore(redis, prefix);
const MIN = 60_000;
const T0 = Date.parse('2026-11-20T09:00:00Z');

describe('WindowStore', () => {
  it('counts distinct incidents and callers inside the sliding window', async () => {
    const touch = (i: number, minute: number, caller: string) =>
      store.touch(
        {
          windowId: 'storm',
          serviceId: 'payroll',
          durationMs: 10 * MIN,
          at: T0 + minute * MIN,
          incidentKey: `servicenow/inc${i}`,
          caller,
        },
        T0 + minute * MIN,
      );
    await touch(1, 0, 'ann');
    await touch(2, 2, 'bob');
    await touch(2, 3, 'bob'); // an update of the same incident counts once
    await touch(3, 4, 'ann');
    expect(await touch(4, 9, 'cy')).toEqual({ count: 4, distinctCallers: 3 });
    // Eleven minutes after the first, incident 1 has left the window.
    expect(await touch(5, 11, 'dee')).toEqual({ count: 4, distinctCallers: 4 });
  });

  it('reads facts without counting an event that does not match the filter', async () => {
    const facts = await store.touch(
      { windowId: 'storm', serviceId: 'payroll', durationMs: 10 * MIN, at: T0 + 11 * MIN },
      T0 + 11 * MIN,
    );
    expect(facts.count).toBe(4);
  });

  it('keeps services apart', async () => {
    const facts = await store.touch(
      { windowId: 'storm', serviceId: 'identity', durationMs: 10 * MIN, at: T0, incidentKey: 'jira/1' },
      T0,
    );
    expect(facts).toEqual({ count: 1, distinctCallers: 0 });
  });

  it('is exact when several writers touch concurrently', async () => {
    const at = T0 + 30 * MIN;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.touch(
          {
            windowId: 'conc',
            serviceId: 'payroll',
            durationMs: 10 * MIN,
            at,
            incidentKey: `servicenow/c${i}`,
            caller: `u${i % 7}`,
          },
          at,
        ),
      ),
    );
    expect(await store.touch({ windowId: 'conc', serviceId: 'payroll', durationMs: 10 * MIN, at }, at)).toEqual({
      count: 50,
      distinctCallers: 7,
    });
  });
});
