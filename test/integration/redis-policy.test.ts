import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startTestService } from '../helpers/service.ts';
import { freePort } from '../helpers/net.ts';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

// Needs its own redis-server: the shared one must keep noeviction for every other test.
describe.skipIf(!hasRedisServer)('Redis maxmemory-policy', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
        '--dir',
        mkdtempSync(join(tmpdir(), 'mim-redis-')),
      ],
      { stdio: 'ignore' },
    );
    url = `redis://127.0.0.1:${port}`;
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => {
      /* expected until the server listens */
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
  afterAll(() => {
    child.kill('SIGKILL');
  });

  it('refuses to start with a message naming the policy and the fix', async () => {
    const started = startTestService({ REDIS_URL: url });
    await expect(started).rejects.toMatchObject({ code: 'STARTUP_REFUSED' });
    await expect(started).rejects.toThrow(/allkeys-lru.*noeviction/s);
  });
});
