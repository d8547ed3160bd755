import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startTestService } from '../helpers/service.ts';
import { type RedisServerProcess, spawnRedisServer } from '../helpers/redis-server.ts';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

// Needs its own redis-server: the shared one must keep noeviction for every other test.
describe.skipIf(!hasRedisServer)('Redis maxmemory-policy', () => {
  let server: RedisServerProcess;
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mim-redis-'));
    // A failed bind (another process took the port redis-server was given) is retried on another.
    server = await spawnRedisServer({
      args: ['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru', '--dir', dir],
      logFile: join(dir, 'redis.log'),
    });
    url = `redis://127.0.0.1:${server.port}`;
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => {
      /* expected until the server has loaded */
    });
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await probe.quit();
  });
  afterAll(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with a message naming the policy and the fix', async () => {
    const started = startTestService({ REDIS_URL: url });
    await expect(started).rejects.toMatchObject({ code: 'STARTUP_REFUSED' });
    await expect(started).rejects.toThrow(/allkeys-lru.*noeviction/s);
  });
});
