import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WindowStore } from '../../../src/store/window-store.ts';
import { type RedisServerProcess, spawnRedisServer } from '../../helpers/redis-server.ts';

// A private redis-server: the test reads INFO commandstats and flushes the script cache, both server-wide.
let server: RedisServerProcess;
let redis: Redis;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mim-evalsha-'));
  server = await spawnRedisServer({ args: ['--dir', dir, '--save', ''], logFile: path.join(dir, 'redis.log') });
  redis = new Redis(`redis://127.0.0.1:${server.port}`, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  redis.disconnect();
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** Calls of EVAL and EVALSHA so far, server-wide. */
async function evalCalls(): Promise<{ eval: number; evalsha: number }> {
  const info = await redis.info('commandstats');
  const calls = (cmd: string) => Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T09:00:00Z');

describe('store scripts run by their SHA-1', () => {
  const store = () => new WindowStore(redis, '{mim-evalsha}');
  const touch = (s: WindowStore, i: number) =>
    s.touch(
      { windowId: 'storm', serviceId: 'payroll', durationMs: 10 * MIN, at: T0 + i, incidentKey: `servicenow/inc${i}` },
      T0 + i,
    );

  it('sends the script body once, then only its SHA-1', async () => {
    const s = store();
    const before = await evalCalls();
    expect(await touch(s, 1)).toEqual({ count: 1, distinctCallers: 0 });
    for (let i = 2; i <= 5; i++) await touch(s, i);
    expect(await touch(s, 6)).toEqual({ count: 6, distinctCallers: 0 });
    const after = await evalCalls();
    // The first call's EVALSHA finds no script (NOSCRIPT, counted as failed, not in calls) and is sent again as EVAL;
    // the other five are EVALSHA only.
    expect(after.eval - before.eval).toBe(1);
    expect(after.evalsha - before.evalsha).toBe(5);
  });

  it('still runs after Redis forgot its scripts (a restart, SCRIPT FLUSH)', async () => {
    const s = store();
    await touch(s, 7);
    await redis.script('FLUSH');
    const before = await evalCalls();
    expect(await touch(s, 8)).toEqual({ count: 8, distinctCallers: 0 });
    const after = await evalCalls();
    expect(after.eval - before.eval).toBe(1);
  });
});
