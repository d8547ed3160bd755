import { startTestService, uniquePrefix, type TestService } from '../../helpers/service.ts';
import { servicenowLoad, sleep } from './load.ts';
import { drained, processedIds } from './processed.ts';
import { privateRedis } from './private-redis.ts';
import { tcpProxy } from './tcp-proxy.ts';

/**
 * The BullMQ failure users report most: a worker whose Redis connection is gone stops consuming
 * while the process lives on. A web process (intake, canary, /readyz) talks to Redis directly;
 * a worker process (in-process here, same prefix) talks to it through a TCP proxy, so only the
 * worker's connections are failed:
 *  - `CLIENT KILL TYPE normal` on Redis (every connection closed; ioredis sees it and reconnects);
 *  - `blackhole`: the worker's connections stay open but carry nothing (half-open TCP).
 * For each: does /readyz fail within `detectWithinMs`, and does consumption resume?
 */
export interface StalledResult {
  /** ms from CLIENT KILL until an event sent after it was processed. */
  readonly killResumeMs: number | undefined;
  /** ms from the blackhole until /readyz answered 503. */
  readonly detectMs: number | undefined;
  /** ms from the blackhole until an event sent after it was processed. */
  readonly blackholeResumeMs: number | undefined;
  readonly acknowledged: number;
  readonly missing: string[];
  readonly line: string;
}

export interface StalledOptions {
  readonly detectWithinMs: number;
  readonly resumeWithinMs: number;
}

async function until(ms: number, test: () => Promise<boolean>): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await test()) return Date.now() - start;
    await sleep(200);
  }
  return undefined;
}

export async function stalledConsumer(opts: StalledOptions): Promise<StalledResult> {
  const redis = await privateRedis();
  const proxy = await tcpProxy(redis.port);
  const prefix = uniquePrefix();
  const reader = redis.client();
  let web: TestService | undefined;
  let worker: TestService | undefined;
  try {
    const common = {
      LOG_LEVEL: 'fatal',
      MIM_REDIS_PREFIX: prefix,
      MIM_WORKER_LOCK_MS: '2000',
      MIM_WORKER_STALLED_INTERVAL_MS: '2000',
    };
    worker = await startTestService({ ...common, REDIS_URL: proxy.url, MIM_ROLE: 'worker' });
    web = await startTestService({ ...common, REDIS_URL: redis.url, MIM_ROLE: 'web' }, { canaryIntervalMs: 1_000 });
    const url = web.url ?? '';
    const ready = async () => (await fetch(`${url}/readyz`)).status === 200;
    if ((await until(10_000, ready)) === undefined) throw new Error('the service never became ready');
    const load = servicenowLoad(url, 20, 's');
    const processedAfter = (t: number) => async () => {
      const done = await processedIds(reader, prefix);
      return load.sent.some((s) => s.sentAt > t && s.status === 202 && done.has(s.deliveryId));
    };
    // The worker consumes before it is cut off: one delivery processed, instead of a fixed wait.
    if ((await until(10_000, processedAfter(0))) === undefined) throw new Error('nothing was processed before the cut');

    const killedAt = Date.now();
    await reader.call('CLIENT', 'KILL', 'TYPE', 'normal');
    const killResumeMs = await until(opts.resumeWithinMs, processedAfter(killedAt));
    await sleep(1_000);

    const holedAt = Date.now();
    proxy.blackhole();
    const detectMs = await until(opts.detectWithinMs + 5_000, async () => !(await ready()));
    const resumed = await until(opts.resumeWithinMs, processedAfter(holedAt));
    const blackholeResumeMs = resumed === undefined ? undefined : Date.now() - holedAt;
    await load.stop();
    if (blackholeResumeMs !== undefined) await drained(web.queue);
    const done = await processedIds(reader, prefix);
    const acked = load.sent.filter((s) => s.status === 202);
    const missing = acked.filter((s) => !done.has(s.deliveryId)).map((s) => s.deliveryId);
    const fmt = (ms: number | undefined, within: number) =>
      ms === undefined ? `NOT within ${within / 1000} s` : `${ms} ms`;
    const line =
      `chaos stalled-consumer: CLIENT KILL → consuming again in ${fmt(killResumeMs, opts.resumeWithinMs)}; ` +
      `blackholed connection → readiness failed in ${fmt(detectMs, opts.detectWithinMs + 5_000)}, consuming again ` +
      `in ${fmt(blackholeResumeMs, opts.resumeWithinMs)}; ` +
      `${acked.length} acknowledged, ${missing.length} missing`;
    return { killResumeMs, detectMs, blackholeResumeMs, acknowledged: acked.length, missing, line };
  } finally {
    await Promise.allSettled([web?.stop(), worker?.stop()]);
    await proxy.close();
    await redis.close();
  }
}
