import { afterAll, describe, expect, it } from 'vitest';
import { MiStore, type StoredMi } from '../../../src/store/mi-store.ts';
import { testRedis } from '../../helpers/redis.ts';

const { redis, prefix, clean } = testRedis();
afterAll(clean);

interface Mi extends StoredMi {
  title: string;
}
const store = new MiStore<Mi>(redis, prefix);
const mi = (id: string, serviceId: string, at: string): Mi => ({
  id,
  serviceId,
  state: 'declared',
  createdAt: at,
  title: id,
});

describe('MiStore.listInStates', () => {
  it('finds the open major incidents across batches of the index, newest first, and loads no others', async () => {
    for (let i = 0; i < 7; i += 1)
      await store.createIfNoneOpen(
        mi(`MI-s${i}`, `svc-${i}`, `2026-11-2${i}T09:00:00Z`),
        { incidentKey: `servicenow/s${i}` },
        [],
      );
    for (const i of [1, 4, 5]) {
      expect(
        await store.transition(
          { ...mi(`MI-s${i}`, `svc-${i}`, `2026-11-2${i}T09:00:00Z`), state: 'resolved' },
          'declared',
          'release',
          [],
        ),
      ).toBe('applied');
    }
    const open = await store.listInStates(['candidate', 'declared'], 2);
    expect(open.map((m) => m.id)).toEqual(['MI-s6', 'MI-s3', 'MI-s2', 'MI-s0']);
    expect((await store.listInStates(['resolved'], 3)).map((m) => m.id)).toEqual(['MI-s5', 'MI-s4', 'MI-s1']);
    expect(await store.listInStates(['closed'])).toEqual([]);
  });
});
