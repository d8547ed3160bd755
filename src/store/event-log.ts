import type { RedisClient } from '../lib/redis-client.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import { keys } from './keys.ts';

/**
 * The bounded recent-event log (a Redis stream) that `rules backtest` exports and replays.
 * Trimmed by age with MINID, approximately (`~`), which lets Redis trim whole nodes cheaply.
 */
export const EVENT_LOG_RETENTION_MS = 7 * 24 * 3600 * 1000;

export class EventLog {
  readonly #redis: RedisClient;
  readonly #key: string;
  readonly #retentionMs: number;

  constructor(redis: RedisClient, prefix: string, retentionMs = EVENT_LOG_RETENTION_MS) {
    this.#redis = redis;
    this.#key = keys(prefix).eventLog;
    this.#retentionMs = retentionMs;
  }

  async append(event: IncidentEvent, now = Date.now()): Promise<void> {
    await this.#redis.xadd(this.#key, 'MINID', '~', String(now - this.#retentionMs), '*', 'e', JSON.stringify(event));
  }

  /** The newest `limit` events, newest first, with the time each arrived (the stream id's). */
  async recent(limit = 50): Promise<Array<{ readonly at: string; readonly event: IncidentEvent }>> {
    const rows = await this.#redis.xrevrange(this.#key, '+', '-', 'COUNT', limit);
    return rows
      .map(([id, fields]) => ({
        at: new Date(Number(id.split('-')[0])).toISOString(),
        event: JSON.parse(fields[1] ?? 'null') as IncidentEvent,
      }))
      .filter((r) => r.event);
  }

  /** Events in arrival order, oldest first, from `sinceMs` (inclusive), at most `limit`. */
  async read(sinceMs = 0, limit = 10_000): Promise<IncidentEvent[]> {
    const rows = await this.#redis.xrange(this.#key, String(sinceMs), '+', 'COUNT', limit);
    return rows.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as IncidentEvent).filter(Boolean);
  }
}
