import type { RedisClient } from '../../lib/redis-client.ts';
import type { ActionEnvelope } from '../../domain/action.ts';
import { keys, type Keys } from '../../store/keys.ts';

const LIST_PAGE = 200;

export interface DeadLetter {
  readonly jobId: string;
  readonly queue: string;
  /** As it was queued: it may be a job this version could not parse. */
  readonly job: ActionEnvelope;
  /** ConnectorError code (`BAD_REQUEST`, `RATE_LIMITED_PAST_HORIZON`, `UNEXPECTED` …). */
  readonly code: string;
  readonly detail?: string;
  readonly attempts: number;
  readonly firstAttemptAt: string;
  readonly deadAt: string;
}

/**
 * Actions that will not succeed by retrying: kept until an operator replays or discards them,
 * never silently dropped. A hash per letter and a sorted index by time.
 */
export class DeadLetters {
  readonly #redis: RedisClient;
  readonly #index: string;
  readonly #keys: Keys;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#keys = keys(prefix);
    this.#index = this.#keys.deadLetterIndex;
  }

  async add(letter: DeadLetter): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#keys.deadLetter(letter.jobId), JSON.stringify(letter))
      .zadd(this.#index, Date.parse(letter.deadAt), letter.jobId)
      .exec();
  }

  /** Newest first; with `target`, only that target's letters (the index is paged until `limit` of them are found). */
  async list(limit = 100, target?: string): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (let start = 0; out.length < limit; start += LIST_PAGE) {
      const ids = await this.#redis.zrevrange(this.#index, start, start + LIST_PAGE - 1);
      if (ids.length === 0) break;
      const rows = await this.#redis.mget(...ids.map((id) => this.#keys.deadLetter(id)));
      for (const row of rows) {
        if (row === null) continue;
        const letter = JSON.parse(row) as DeadLetter;
        // A letter of a malformed job may lack `job.target`.
        if (!target || letter.job?.target === target) out.push(letter);
        if (out.length >= limit) break;
      }
      if (ids.length < LIST_PAGE) break;
    }
    return out;
  }

  async get(jobId: string): Promise<DeadLetter | undefined> {
    const row = await this.#redis.get(this.#keys.deadLetter(jobId));
    return row ? (JSON.parse(row) as DeadLetter) : undefined;
  }

  /** Removes the letter (after a replay was enqueued, or on discard); false when it was not there. */
  async remove(jobId: string): Promise<boolean> {
    const [[, removed] = [null, 0]] =
      (await this.#redis.multi().del(this.#keys.deadLetter(jobId)).zrem(this.#index, jobId).exec()) ?? [];
    return removed === 1;
  }

  async count(): Promise<number> {
    return this.#redis.zcard(this.#index);
  }
}
