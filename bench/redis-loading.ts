/**
 * How long after a restarted Redis has loaded its AOF does the intake's connection come ready?
 *   node bench/redis-loading.ts [--mb 150] [--restarts 3]
 * A private redis-server (AOF on) is filled, SIGKILLed and restarted; "loaded" is the first PONG
 * to a probe without a ready check (PING answers -LOADING until the data is in). Compared: the
 * producer connection as the service builds it, and the same with ioredis's default 10 s cap on
 * its loading re-check (which waits `loading_eta_seconds`, at least 1 s, between looks).
 */
import { parseArgs } from 'node:util';
import { createRedis } from '../src/queue/redis.ts';
import { privateRedis } from '../test/chaos/lib/private-redis.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '150' }, restarts: { type: 'string', default: '3' } },
});
const MB = Number(values.mb);
const RESTARTS = Number(values.restarts);

const redis = await privateRedis('everysec');
try {
  const fill = redis.client();
  const value = 'x'.repeat(1000);
  for (let i = 0; i < MB; i++) {
    const p = fill.pipeline();
    for (let j = 0; j < 1000; j++) p.set(`fill:${i}:${j}`, value);
    await p.exec();
  }
  const variants = {
    'as the service builds it': {},
    'ioredis default (maxLoadingRetryTime 10 s)': { maxLoadingRetryTime: 10_000 },
  };
  for (const [name, extra] of Object.entries(variants)) {
    const producer = createRedis(redis.url, 'producer', extra);
    producer.on('error', () => {});
    await new Promise((resolve) => producer.once('ready', resolve));
    const lags: number[] = [];
    let loadMs = 0;
    for (let k = 0; k < RESTARTS; k++) {
      await redis.kill();
      const ready = new Promise<number>((resolve) => producer.once('ready', () => resolve(Date.now())));
      const started = Date.now();
      await redis.start();
      const loaded = Date.now();
      loadMs = Math.max(loadMs, loaded - started);
      lags.push((await ready) - loaded);
    }
    producer.disconnect();
    console.log(
      `redis-loading (${MB} MB AOF, ${name}): loaded in ≤ ${loadMs} ms; the producer came ready ` +
        `${lags.join(', ')} ms after the first PONG (negative: before the probe's next look, 10 ms apart)`,
    );
  }
} finally {
  await redis.close();
}
