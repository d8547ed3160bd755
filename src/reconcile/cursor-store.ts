import type { RedisClient } from '../lib/redis-client.ts';
import { keys } from '../store/keys.ts';
import { SweepCursor } from './sweep-cursor.ts';

/**
 * The ServiceNow sweep's cursor, one key under the service prefix. Written only after a sweep
 * got through, so a failed sweep leaves it where it was and the next run reads the same range.
 */
export class SweepCursorStore {
  readonly #redis: RedisClient;
  readonly #key: string;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#key = keys(prefix).reconcileCursor;
  }

  /** Undefined before the first sweep, and for a value this version cannot read (the sweep then starts afresh). */
  async get(): Promise<SweepCursor | undefined> {
    const raw = await this.#redis.get(this.#key);
    if (!raw) return undefined;
    try {
      const parsed = SweepCursor.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async set(cursor: SweepCursor): Promise<void> {
    await this.#redis.set(this.#key, JSON.stringify(SweepCursor.parse(cursor)));
  }
}
