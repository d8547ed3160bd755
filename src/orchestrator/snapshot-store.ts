import type { Redis } from 'ioredis';
import type { IncidentEvent } from '../domain/incident-event.ts';
import { incidentKey } from '../domain/incident-event.ts';
import type { Keys } from '../queue/keys.ts';
import { snapshotPatch, type IncidentSnapshot } from './snapshot.ts';

/**
 * Compare-and-merge in one Lua call, so concurrent workers never lose an update and an older
 * delivery (Jira and ServiceNow both redeliver late) never rolls a newer snapshot back.
 * Equal times merge: a comment event and an edit can share a timestamp.
 */
const MERGE_IF_NEWER = `
local cur = redis.call('HGET', KEYS[1], 'at')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
local merged = cjson.decode(ARGV[2])
local old = redis.call('HGET', KEYS[1], 'data')
if old then
  local prev = cjson.decode(old)
  for k, v in pairs(merged) do prev[k] = v end
  merged = prev
end
redis.call('HSET', KEYS[1], 'at', ARGV[1], 'data', cjson.encode(merged))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** Snapshots outlive any open incident by far; a record silent for 90 days is dropped. */
const SNAPSHOT_TTL_SECONDS = 90 * 24 * 3600;

export type ApplyResult = 'applied' | 'stale';

export class SnapshotStore {
  readonly #redis: Redis;
  readonly #keys: Keys;
  readonly #ttlSeconds: number;

  constructor(redis: Redis, keys: Keys, ttlSeconds = SNAPSHOT_TTL_SECONDS) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlSeconds = ttlSeconds;
  }

  async apply(event: IncidentEvent): Promise<ApplyResult> {
    const at = Date.parse(event.updatedAt);
    const key = this.#keys.snapshot(incidentKey(event));
    const result = await this.#redis.eval(MERGE_IF_NEWER, 1, key, String(at), JSON.stringify(snapshotPatch(event)), String(this.#ttlSeconds));
    return result === 1 ? 'applied' : 'stale';
  }

  async get(key: string): Promise<IncidentSnapshot | undefined> {
    const data = await this.#redis.hget(this.#keys.snapshot(key), 'data');
    return data ? (JSON.parse(data) as IncidentSnapshot) : undefined;
  }
}
