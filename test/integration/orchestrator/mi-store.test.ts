import { afterAll, describe, expect, it } from 'vitest';
import { MiStore, type StoredMi } from '../../../src/store/mi-store.ts';
import { testRedis } from '../../helpers/redis.ts';

const { redis, prefix, clean } = testRedis();
afterAll(clean);

interface Mi extends StoredMi {
  title: string;
}
type Entry = { kind: string };
const store = new MiStore<Mi, Entry>(redis, prefix);
const mi = (id: string, serviceId = 'payroll', state = 'declared'): Mi => ({
  id,
  serviceId,
  state,
  createdAt: '2026-11-20T09:00:00Z',
  title: id,
});

describe('MiStore', () => {
  it('opens one major incident per service even when many workers race', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.createIfNoneOpen(mi(`MI-race-${i}`, 'race'), { incidentKey: `servicenow/r${i}` }, [{ kind: 'declared' }]),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect((await store.openFor('race'))?.id).toBe(ids[0]);
    expect(await store.list()).toHaveLength(1);
  });

  it('attaches a child once and maps its record back to the major incident', async () => {
    const id = await store.createIfNoneOpen(mi('MI-a', 'identity'), { incidentKey: 'jira/100' }, []);
    expect(await store.attachChild(id, { incidentKey: 'servicenow/x' }, [{ kind: 'child.attached' }])).toBe(true);
    expect(await store.attachChild(id, { incidentKey: 'servicenow/x' }, [{ kind: 'child.attached' }])).toBe(false);
    expect((await store.findByRecord('servicenow/x'))?.id).toBe(id);
    expect((await store.children(id)).map((c) => c.incidentKey).sort()).toEqual(['jira/100', 'servicenow/x']);
    expect(await store.timeline(id)).toEqual([{ kind: 'child.attached' }]);
  });

  it('applies a transition only from the expected state and releases the service', async () => {
    const id = await store.createIfNoneOpen(mi('MI-t', 'library'), { incidentKey: 'servicenow/t' }, []);
    expect(await store.transition({ ...mi(id, 'library'), state: 'resolved' }, 'candidate', 'release', [])).toBe(
      'conflict',
    );
    expect(
      await store.transition({ ...mi(id, 'library'), state: 'resolved' }, 'declared', 'release', [
        { kind: 'resolved' },
      ]),
    ).toBe('applied');
    expect(await store.openFor('library')).toBeUndefined();
    expect((await store.lastFor('library'))?.state).toBe('resolved');
    // Reopening claims the service again, unless another MI opened meanwhile.
    const other = await store.createIfNoneOpen(mi('MI-t2', 'library'), { incidentKey: 'servicenow/t2' }, []);
    expect(await store.transition({ ...mi(id, 'library'), state: 'declared' }, 'resolved', 'claim', [])).toBe('held');
    expect((await store.openFor('library'))?.id).toBe(other);
  });

  it('looks up the linked, open and last major incident together, reading one that is all three once', async () => {
    const id = await store.createIfNoneOpen(mi('MI-l', 'lookup'), { incidentKey: 'servicenow/l1' }, []);
    const all = await store.lookup('servicenow/l1', 'lookup');
    expect([all.linked?.id, all.open?.id, all.last?.id]).toEqual([id, id, id]);
    expect(all.linked).toBe(all.open);
    expect(all.open).toBe(all.last);
    // A record not linked, on that service: no linked, the same open and last.
    const other = await store.lookup('servicenow/unlinked', 'lookup');
    expect(other.linked).toBeUndefined();
    expect([other.open?.id, other.last?.id]).toEqual([id, id]);
    // After a resolve the service has a last one but no open one; without a service, only the link.
    await store.transition({ ...mi(id, 'lookup'), state: 'resolved' }, 'declared', 'release', []);
    const resolved = await store.lookup('servicenow/l1', 'lookup');
    expect([resolved.linked?.state, resolved.open, resolved.last?.state]).toEqual(['resolved', undefined, 'resolved']);
    expect(await store.lookup('servicenow/l1', undefined)).toEqual({ linked: resolved.linked });
    expect(await store.lookup('servicenow/none', 'no-such-service')).toEqual({});
  });
});

describe('MiStore versions', () => {
  it(
    'refuses a patch or a transition computed from an older version of the record, so neither overwrites the ' +
      'other',
    async () => {
      type V = Mi & { updatedAt: string; roles?: string };
      const vstore = new MiStore<V, Entry>(redis, prefix);
      const base: V = { ...mi('MI-v', 'versions'), updatedAt: '2026-11-20T09:00:00.000Z' };
      await vstore.createIfNoneOpen(base, { incidentKey: 'servicenow/v' }, []);
      // A roles change lands first...
      expect(
        await vstore.patch(
          { ...base, roles: 'alice', updatedAt: '2026-11-20T09:01:00.000Z' },
          'declared',
          base.updatedAt,
        ),
      ).toBe(true);
      // ...then a move computed from the version before it is refused, and so is a second stale patch.
      expect(
        await vstore.transition(
          { ...base, state: 'resolved', updatedAt: '2026-11-20T09:02:00.000Z' },
          'declared',
          'release',
          [],
          [],
          base.updatedAt,
        ),
      ).toBe('conflict');
      expect(await vstore.patch({ ...base, roles: 'bob' }, 'declared', base.updatedAt)).toBe(false);
      expect((await vstore.get('MI-v'))?.roles).toBe('alice');
      // Read again, the move applies and keeps the roles.
      const fresh = (await vstore.get('MI-v'))!;
      expect(
        await vstore.transition(
          { ...fresh, state: 'resolved', updatedAt: '2026-11-20T09:03:00.000Z' },
          'declared',
          'release',
          [],
          [],
          fresh.updatedAt,
        ),
      ).toBe('applied');
      expect(await vstore.get('MI-v')).toMatchObject({ state: 'resolved', roles: 'alice' });
    },
  );
});
