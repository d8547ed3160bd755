import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath, redisAnswers, startPrivateRedis } from '../../../scripts/test-redis.js';

// Nothing listens on port 1: the address the tests use for "no Redis here".
const NOBODY = 'redis://127.0.0.1:1';
const redisServer = onPath('redis-server');

describe("npm test's Redis", () => {
  it('hears the Redis the tests use, and nothing where none runs', async () => {
    expect(await redisAnswers(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379')).toBe(true);
    expect(await redisAnswers(NOBODY)).toBe(false);
  });

  it.skipIf(!redisServer)('starts a private redis-server on a free port and stops it', async () => {
    const started = await startPrivateRedis(redisServer!);
    expect(started).toBeDefined();
    expect(await redisAnswers(started!.url)).toBe(true);
    await started!.stop();
    expect(await redisAnswers(started!.url)).toBe(false);
  });

  it('without Redis or redis-server, prints the command that installs it and exits 1', () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'mim-no-redis-'));
    try {
      const ran = spawnSync(process.execPath, ['scripts/test.js'], {
        encoding: 'utf8',
        env: { ...process.env, PATH: emptyDir, TEST_REDIS_URL: NOBODY, REDIS_URL: NOBODY },
        timeout: 15_000,
      });
      expect(ran.status).toBe(1);
      expect(ran.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(ran.stderr).toContain('no Redis answers on redis://127.0.0.1:1');
      if (process.platform === 'linux') expect(ran.stderr).toContain('sudo apt-get install redis-server');
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
