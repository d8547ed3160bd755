import { describe, expect, it } from 'vitest';
import {
  isRedisReply,
  maskedUrl,
  redisAddress,
  redisInstallHint,
  summaryLine,
  testSteps,
} from '../../../scripts/test-plan.js';

describe('npm test steps', () => {
  it('lints, type-checks, then runs the main suite and the chaos suite one file at a time', () => {
    const steps = testSteps([]);
    expect(steps.map((s) => [s.command, ...s.args].join(' '))).toEqual([
      'biome ci .',
      'tsc -p tsconfig.json',
      'vitest run --exclude test/chaos/**',
      'vitest run --project chaos --maxWorkers=1',
    ]);
  });

  it('passes extra arguments to both vitest runs, where a filter may match nothing', () => {
    const [, , main, chaos] = testSteps(['redis', '-t', 'storm']);
    expect(main!.args).toEqual(['run', '--exclude', 'test/chaos/**', '--passWithNoTests', 'redis', '-t', 'storm']);
    expect(chaos!.args).toEqual([
      'run',
      '--project',
      'chaos',
      '--maxWorkers=1',
      '--passWithNoTests',
      'redis',
      '-t',
      'storm',
    ]);
  });
});

describe('the summary line', () => {
  it('names each part and whether it passed', () => {
    expect(summaryLine({ lint: 0, types: 0, main: 0, chaos: 0 })).toBe(
      'mim-bridge tests: lint passed, main suite passed, chaos suite passed',
    );
    expect(summaryLine({ lint: 1, types: 0, main: 1, chaos: 0 })).toBe(
      'mim-bridge tests: lint FAILED (exit 1), main suite FAILED (exit 1), chaos suite passed',
    );
  });

  it('says no test ran when the type check failed', () => {
    expect(summaryLine({ lint: 0, types: 2 })).toBe(
      'mim-bridge tests: lint passed, type check FAILED (exit 2); no test ran',
    );
  });
});

describe('Redis for the tests', () => {
  it('names the one install command of the platform', () => {
    expect(redisInstallHint('linux')).toMatch(/^sudo apt-get install redis-server/);
    expect(redisInstallHint('darwin')).toBe('brew install redis');
  });

  it('reads host, port and TLS from a Redis URL', () => {
    expect(redisAddress('redis://127.0.0.1:1')).toEqual({ host: '127.0.0.1', port: 1, tls: false });
    expect(redisAddress('rediss://u:p@cache.example:6380/2')).toEqual({ host: 'cache.example', port: 6380, tls: true });
    expect(redisAddress('redis://[::1]')).toEqual({ host: '::1', port: 6379, tls: false });
    expect(redisAddress('http://127.0.0.1:6379')).toBeUndefined();
    expect(redisAddress('not a url')).toBeUndefined();
  });

  it('counts an error reply (a Redis that wants a password) as a Redis that answers', () => {
    expect(isRedisReply('+PONG\r\n')).toBe(true);
    expect(isRedisReply('-NOAUTH Authentication required.\r\n')).toBe(true);
    expect(isRedisReply('HTTP/1.1 400 Bad Request')).toBe(false);
  });

  it('hides a password in messages', () => {
    expect(maskedUrl('redis://user:s3cret@host:6379')).toBe('redis://***@host:6379');
    expect(maskedUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
