import { Redis } from 'ioredis';
import { uniquePrefix } from './service.ts';

/** A Redis connection and a fresh key prefix for one test file; `clean()` deletes the prefix's keys. */
export function testRedis() {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = uniquePrefix();
  const clean = async () => {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.quit();
  };
  return { redis, prefix, clean };
}
