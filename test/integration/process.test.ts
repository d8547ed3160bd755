import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { awaitListening } from '../../sandbox/run-service.ts';
import { uniquePrefix } from '../helpers/service.ts';

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['src/app/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out, errors: () => err };
}

describe('the service process', () => {
  it('stops start-up with one message naming a bad variable (exit 2)', async () => {
    const p = run({ PORT: 'eighty', REDIS_URL: 'http://not-redis' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toMatch(/PORT:/);
    expect(p.errors()).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('stops start-up with one message naming the address when the port is in use (exit 3)', async () => {
    // Port 0: a port picked first and bound later could be taken by another process in between.
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as AddressInfo;
    const prefix = uniquePrefix();
    try {
      const p = run({ PORT: String(port), HOST: '127.0.0.1', MIM_REDIS_PREFIX: prefix });
      expect(await p.exited).toBe(3);
      expect(p.errors()).toContain(`mim-bridge: cannot listen on 127.0.0.1:${port}: the address is in use`);
      expect(p.errors()).not.toMatch(/TypeError|Cannot read properties/);
    } finally {
      taken.close();
      const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
      const leftovers = await redis.keys(`${prefix}*`);
      if (leftovers.length) await redis.unlink(...leftovers);
      redis.disconnect();
    }
  });

  it('shuts down gracefully on SIGTERM: stops listening, drains, exits 0', async () => {
    const prefix = uniquePrefix();
    const p = run({ PORT: '0', HOST: '127.0.0.1', MIM_REDIS_PREFIX: prefix });
    const url = await awaitListening(p.child.stdout);
    if (!url) throw new Error(`the service logged no "listening" line before its output ended:\n${p.errors()}`);
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('shutting down');
    expect(p.output()).toContain('"msg":"stopped"');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const leftovers = await redis.keys(`${prefix}*`);
    if (leftovers.length) await redis.unlink(...leftovers);
    await redis.quit();
  });
});
