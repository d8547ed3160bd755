import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../src/domain/incident-event.ts';
import { keys } from '../../src/store/keys.ts';
import { MiStore, type StoredMi } from '../../src/store/mi-store.ts';
import { SnapshotStore } from '../../src/store/snapshot-store.ts';
import { testRedis } from '../helpers/redis.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Issue #16 item 3: a lone UTF-16 surrogate (`"\ud800"` in the JSON) in a field anyone who can
 * edit a ticket controls. JSON.parse takes it, Redis's Lua cjson does not: the snapshot script
 * failed on it eight times and the record ended in the failed set, hidden from the rules. Now
 * every string is made well-formed at normalization and the snapshot is a hash of fields.
 */
const LONE = '\ud800';
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

async function post(source: 'servicenow' | 'jira', body: string): Promise<string> {
  // JSON.stringify writes a lone surrogate as the escape `\ud800`, exactly what a sender can send.
  expect(body).toContain('\\ud800');
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source, SECRETS[source], body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

const settled = (jobId: string) =>
  eventually(async () => {
    const state = await (await svc.queue.getJob(jobId))?.getState();
    return state === 'completed' || state === 'failed' ? state : undefined;
  }, 8_000);

describe('a lone surrogate in a signed delivery', () => {
  it('is accepted, processed, and the rules declare on the record', async () => {
    const sysId = 'e0000000000000000000000000000001';
    const title = `Payroll portal down ${LONE} for all staff`;
    const jobId = await post(
      'servicenow',
      JSON.stringify(wrapped(snRecord({ sys_id: sysId, sys_mod_count: '1', short_description: title }), 'insert')),
    );
    expect(await settled(jobId)).toBe('completed');
    expect((await svc.snapshots.get(`servicenow/${sysId}`))?.title).toBe('Payroll portal down \ufffd for all staff');
    const mi = await eventually(() => svc.majorIncidents.findByRecord(`servicenow/${sysId}`), 8_000);
    expect(mi.title).not.toContain(LONE);
    expect(await svc.queue.getJobCounts('failed')).toEqual({ failed: 0 });
  });

  it('in a Jira comment and in a member name, is processed too', async () => {
    const sample = JSON.parse(readFileSync('test/fixtures/jira/comment_created.cloud.json', 'utf8'));
    sample.issue.id = '30001';
    sample.comment.body = `half a pair: ${LONE}`;
    sample[`x_${LONE}`] = LONE;
    const jobId = await post('jira', JSON.stringify(sample));
    expect(await settled(jobId)).toBe('completed');
    expect((await svc.queue.getJob(jobId))?.data).toMatchObject({ comment: { body: 'half a pair: \ufffd' } });
    expect(await svc.queue.getJobCounts('failed')).toEqual({ failed: 0 });
  });
});

describe('the stores, given a lone surrogate that got past normalization', () => {
  const { redis, prefix, clean } = testRedis();
  afterAll(clean);

  it('the snapshot merges it without decoding anything in Lua', async () => {
    const snapshots = new SnapshotStore(redis, keys(prefix));
    const event = {
      source: 'servicenow',
      deliveryId: 'd1',
      kind: 'incident.updated',
      vendorEvent: 'update',
      recordId: 'r1',
      title: LONE,
      updatedAt: '2026-11-20T09:00:00Z',
      changedFields: [],
      receivedAt: '2026-11-20T09:00:01Z',
    } satisfies IncidentEvent;
    expect(await snapshots.apply(event)).toBe('applied');
    expect(await snapshots.apply({ ...event, priority: 1, updatedAt: '2026-11-20T09:01:00Z' })).toBe('applied');
    expect(await snapshots.apply({ ...event, title: 'older', updatedAt: '2026-11-20T08:00:00Z' })).toBe('stale');
    expect(await snapshots.get('servicenow/r1')).toEqual({
      source: 'servicenow',
      recordId: 'r1',
      title: '\ufffd',
      priority: 1,
      updatedAt: '2026-11-20T09:01:00Z',
    });
  });

  interface Mi extends StoredMi {
    title: string;
    updatedAt: string;
  }
  const store = new MiStore<Mi>(redis, prefix);

  it(
    'a major incident written before the version field makes a version-checked write answer conflict, never fail ' +
      'the script',
    async () => {
      const old: Mi = {
        id: 'MI-legacy',
        serviceId: 'payroll',
        state: 'declared',
        createdAt: '2026-11-20T09:00:00Z',
        title: LONE,
        updatedAt: 'v1',
      };
      // As the store wrote records before: JSON.stringify keeps the escape, and no `v` field.
      await redis.hset(`${prefix}:mi:MI-legacy`, 'state', 'declared', 'data', JSON.stringify(old));
      const next = { ...old, title: 'fixed', updatedAt: 'v2' };
      expect(await store.transition({ ...next, state: 'resolved' }, 'declared', 'keep', [], [], 'v1')).toBe('conflict');
      expect(await store.patch(next, 'declared', 'v1')).toBe(false);
      // Written without a version check, it has a version field from then on and well-formed JSON.
      expect(await store.patch(next, 'declared')).toBe(true);
      expect(
        await store.transition({ ...next, state: 'resolved', updatedAt: 'v3' }, 'declared', 'keep', [], [], 'v2'),
      ).toBe('applied');
    },
  );

  it('a major incident is never written with one', async () => {
    const mi: Mi = {
      id: 'MI-new',
      serviceId: 'identity',
      state: 'declared',
      createdAt: '2026-11-20T09:00:00Z',
      title: `x${LONE}`,
      updatedAt: 'v1',
    };
    await store.createIfNoneOpen(mi, { incidentKey: 'servicenow/new' }, [{ note: LONE }], [{ text: LONE }]);
    const raw = [
      await redis.hget(`${prefix}:mi:MI-new`, 'data'),
      ...(await redis.lrange(`${prefix}:mi:MI-new:timeline`, 0, -1)),
      ...(await redis.lrange(store.outboxKey, 0, -1)),
    ];
    expect(raw.join('')).not.toMatch(/\\ud800/i);
    expect((await store.get('MI-new'))?.title).toBe('x\ufffd');
  });
});
