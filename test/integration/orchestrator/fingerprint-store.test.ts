import { afterAll, describe, expect, it } from 'vitest';
import { FingerprintStore } from '../../../src/store/fingerprint-store.ts';
import { testRedis } from '../../helpers/redis.ts';

const { redis, prefix, clean } = testRedis();
afterAll(clean);

describe('FingerprintStore (real Redis)', () => {
  it('recognises a value we wrote once, per record and field, and expires', async () => {
    const fp = new FingerprintStore(redis, prefix, 60);
    await fp.remember('jira/1', [
      ['state', 'in_progress'],
      ['state', 'resolved'],
    ]);
    expect(
      await fp.consume('jira/1', [
        ['state', 'resolved'],
        ['priority', '1'],
      ]),
    ).toEqual(new Set(['state']));
    // Consumed: the same value later is somebody else's change.
    expect(await fp.consume('jira/1', [['state', 'resolved']])).toEqual(new Set());
    expect(await fp.consume('jira/2', [['state', 'in_progress']])).toEqual(new Set());
    expect(await fp.consume('jira/1', [['state', 'in_progress']])).toEqual(new Set(['state']));
    await fp.remember('jira/3', [['priority', '2']]);
    const ttl = await redis.ttl(`${prefix}:fp:jira/3`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
