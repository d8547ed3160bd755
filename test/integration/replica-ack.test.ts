import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../src/app/service.ts';
import { type RedisServerProcess, spawnRedisServer } from '../helpers/redis-server.ts';
import { SECRETS, eventually, startTestService, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * MIM_INTAKE_MIN_REPLICAS through the real service, on a private primary and replica of the test's
 * own: a 202 only once the replica holds the delivery; with the replica detached, the same 503 and
 * Retry-After as when Redis is down (reason `replicas_short`), /readyz saying why; attached again,
 * 202 again, and the refused delivery's retry is confirmed and answered as the duplicate it is.
 * WAITAOF is detected, not assumed: this Redis (7.0) has none, so `fsynced` refuses to start.
 */
const root = mkdtempSync(path.join(tmpdir(), 'mim-replica-ack-'));
let primary: RedisServerProcess;
let replica: RedisServerProcess;
let replicaAdmin: Redis;
let svc: TestService;

const start = (name: string, extra: string[] = []) => {
  const dir = mkdtempSync(path.join(root, `${name}-`));
  return spawnRedisServer({
    args: ['--save', '', '--dir', dir, '--maxmemory-policy', 'noeviction', ...extra],
    logFile: path.join(dir, 'redis.log'),
  });
};
const synced = () =>
  eventually(async () => /^master_link_status:up/m.test(await replicaAdmin.info('replication')), 10_000, 50);

beforeAll(async () => {
  primary = await start('primary');
  replica = await start('replica', ['--replicaof', '127.0.0.1', String(primary.port)]);
  replicaAdmin = new Redis({ host: '127.0.0.1', port: replica.port });
  await synced();
  svc = await startTestService({
    REDIS_URL: `redis://127.0.0.1:${primary.port}`,
    MIM_INTAKE_MIN_REPLICAS: '1',
    MIM_INTAKE_REPLICA_TIMEOUT_MS: '200',
  });
}, 30_000);

afterAll(async () => {
  await svc?.stop();
  replicaAdmin?.disconnect();
  for (const s of [replica, primary]) s?.child.kill('SIGKILL');
  await Promise.all([replica?.exited, primary?.exited]);
  rmSync(root, { recursive: true, force: true });
});

const post = (sysId: string) => {
  const body = JSON.stringify(snRecord({ sys_id: sysId, sys_mod_count: '1' }));
  return fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
};
const readyz = async () =>
  (await (await fetch(`${svc.url}/readyz`)).json()) as { status: string; checks: Record<string, { ok: boolean }> };

describe('replica-acknowledged intake (MIM_INTAKE_MIN_REPLICAS=1)', () => {
  it('logs the command it confirms with, having asked the server about WAITAOF', () => {
    const line = svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.command);
    expect(line).toMatchObject({ command: 'WAIT', waitaofAvailable: false, minReplicas: 1, version: '7.0.15' });
  });

  it('answers 202 once the replica holds the delivery', async () => {
    const res = await post('a'.repeat(32));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    // The replica has the job, not only the primary.
    expect(await replicaAdmin.exists(`${svc.keys.prefix}:events:${id}`)).toBe(1);
    expect((await readyz()).checks.replicas).toEqual({ ok: true, detail: '1 online' });
  });

  it('answers 503 with Retry-After while no replica confirms, and 202 again once one does', async () => {
    await replicaAdmin.replicaof('NO', 'ONE');
    await eventually(async () => (await readyz()).checks.replicas?.ok === false, 5_000, 50);
    const refused = await post('b'.repeat(32));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({ error: 'unavailable', message: 'event store unavailable; retry later' });
    const ready = await readyz();
    expect(ready.status).toBe('not_ready');
    expect(ready.checks.replicas).toEqual({
      ok: false,
      detail: '0 replica(s) online, MIM_INTAKE_MIN_REPLICAS is 1; webhooks answer 503',
    });
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(
      /mim_intake_unavailable_seconds_count\{source="servicenow",reason="replicas_short"\} [1-9]/,
    );
    expect(metrics).toMatch(/mim_intake_replicas_short_total [1-9]/);

    await replicaAdmin.replicaof('127.0.0.1', String(primary.port));
    await synced();
    // The refused delivery had landed on the primary: its retry is confirmed, then answered duplicate.
    const retried = await post('b'.repeat(32));
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect((await post('c'.repeat(32))).status).toBe(202);
    expect((await readyz()).checks.replicas?.ok).toBe(true);
  });

  it('shares WAITs between concurrent webhooks instead of one each', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: primary.port });
    const waits = async () => Number(/cmdstat_wait:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
    const before = await waits();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i.toString(16).padStart(32, 'd'))));
    const used = (await waits()) - before;
    admin.disconnect();
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(202));
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThan(40);
  });

  it('refuses to start with MIM_INTAKE_REPLICA_ACK=fsynced on a Redis without WAITAOF, naming the setting', async () => {
    const err = await startTestService({
      REDIS_URL: `redis://127.0.0.1:${primary.port}`,
      MIM_INTAKE_MIN_REPLICAS: '1',
      MIM_INTAKE_REPLICA_ACK: 'fsynced',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/MIM_INTAKE_REPLICA_ACK=fsynced needs WAITAOF \(Redis 7\.2 or later\)/);
  });
});
