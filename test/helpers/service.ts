import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { parseEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startService, type RunningService, type ServiceOptions } from '../../src/app/service.ts';

export const SECRETS = {
  servicenow: 'sn-test-webhook-secret',
  jira: 'jira-test-webhook-secret',
  pagerduty: 'pd-test-webhook-secret',
} as const;

/** A fresh key prefix per test: tests share one Redis but never each other's keys. */
export const uniquePrefix = () => `{mimtest-${randomUUID().slice(0, 8)}}`;

export interface TestService extends RunningService {
  readonly logs: string[];
}

/** Starts the real service in-process on a free port with a unique prefix; logs are captured, not printed. */
export async function startTestService(
  env: Record<string, string> = {},
  opts: Partial<ServiceOptions> = {},
): Promise<TestService> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const parsed = parseEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    MIM_REDIS_PREFIX: uniquePrefix(),
    SERVICENOW_WEBHOOK_SECRET: SECRETS.servicenow,
    JIRA_WEBHOOK_SECRET: SECRETS.jira,
    PAGERDUTY_WEBHOOK_SECRET: SECRETS.pagerduty,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const service = await startService({
    env: parsed,
    logger: createLogger(parsed.LOG_LEVEL, {}, sink),
    canaryIntervalMs: 200,
    ...opts,
  });
  return Object.assign(service, { logs });
}

/** Deletes every key under the service's prefix, then stops it. */
export async function stopAndClean(service: RunningService): Promise<void> {
  const { Redis } = await import('ioredis');
  await service.stop();
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${service.keys.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== '0');
  await redis.quit();
}

export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 5_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
