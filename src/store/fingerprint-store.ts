import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WrittenField } from '../orchestrator/fingerprints.ts';

/**
 * Long enough for the slowest webhook to come back (Jira retries for minutes), short enough
 * that a person setting the same value later is not mistaken for us.
 */
export const FINGERPRINT_TTL_SECONDS = 15 * 60;

const member = (field: string, value: string) => `${field}=${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;

/** Consumes every given member that is present; returns the fields that matched. */
const CONSUME = `
local hit = {}
for i, m in ipairs(ARGV) do
  if redis.call('SREM', KEYS[1], m) == 1 then hit[#hit + 1] = tostring(i) end
end
return hit
`;

/**
 * A set per record of `field=digest(value)` we wrote, expiring after the TTL. A fingerprint is
 * consumed by the first change that matches it, so it explains one echo, not a later human edit.
 */
export class FingerprintStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttl: number;

  constructor(redis: Redis, prefix: string, ttlSeconds = FINGERPRINT_TTL_SECONDS) {
    this.#redis = redis;
    this.#prefix = `${prefix}:fp`;
    this.#ttl = ttlSeconds;
  }

  /** Call before the write, so an echo that overtakes the vendor's answer is still recognised. */
  async remember(recordKey: string, writes: ReadonlyArray<readonly [WrittenField, string]>): Promise<void> {
    if (!writes.length) return;
    const key = `${this.#prefix}:${recordKey}`;
    await this.#redis.multi().sadd(key, ...writes.map(([f, v]) => member(f, v))).expire(key, this.#ttl).exec();
  }

  async consume(recordKey: string, pairs: ReadonlyArray<readonly [WrittenField, string]>): Promise<Set<WrittenField>> {
    if (!pairs.length) return new Set();
    const hits = (await this.#redis.eval(CONSUME, 1, `${this.#prefix}:${recordKey}`, ...pairs.map(([f, v]) => member(f, v)))) as string[];
    return new Set(hits.map((i) => pairs[Number(i) - 1]![0]));
  }
}
