import { createHash } from 'node:crypto';
import type { RedisClient } from '../lib/redis-client.ts';
import { keys, type Keys } from './keys.ts';
import { runScript, SCRIPTS } from './scripts.ts';

/**
 * Long enough for the slowest webhook to come back (Jira retries for minutes), short enough
 * that a person setting the same value later is not mistaken for us.
 */
export const FINGERPRINT_TTL_SECONDS = 15 * 60;

const member = (field: string, value: string) =>
  `${field}=${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

/**
 * A set per record of `field=digest(value)` we wrote, expiring after the TTL. A fingerprint is
 * consumed by the first change that matches it, so it explains one echo, not a later human edit.
 * Fields are the caller's names (orchestrator/fingerprints.ts WrittenField), stored as given.
 */
export class FingerprintStore {
  readonly #redis: RedisClient;
  readonly #keys: Keys;
  readonly #ttl: number;

  constructor(redis: RedisClient, prefix: string, ttlSeconds = FINGERPRINT_TTL_SECONDS) {
    this.#redis = redis;
    this.#keys = keys(prefix);
    this.#ttl = ttlSeconds;
  }

  /** Call before the write, so an echo that overtakes the vendor's answer is still recognised. */
  async remember(recordKey: string, writes: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (!writes.length) return;
    const key = this.#keys.fingerprints(recordKey);
    await this.#redis
      .multi()
      .sadd(key, ...writes.map(([f, v]) => member(f, v)))
      .expire(key, this.#ttl)
      .exec();
  }

  /**
   * Consumes every given fingerprint that is present (lua/consume-fingerprints-1.lua); returns the fields that matched.
   */
  async consume<F extends string>(recordKey: string, pairs: ReadonlyArray<readonly [F, string]>): Promise<Set<F>> {
    if (!pairs.length) return new Set();
    const hits = (await runScript(
      this.#redis,
      SCRIPTS.consumeFingerprints,
      [this.#keys.fingerprints(recordKey)],
      pairs.map(([f, v]) => member(f, v)),
    )) as string[];
    return new Set(hits.map((i) => pairs[Number(i) - 1]![0]));
  }
}
