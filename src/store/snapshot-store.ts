import type { RedisClient } from '../lib/redis-client.ts';
import type { IncidentEvent } from '../domain/incident-event.ts';
import { incidentKey } from '../domain/incident-event.ts';
import { wellFormedJson } from '../domain/well-formed.ts';
import type { Keys } from './keys.ts';
import { runScript, SCRIPTS } from './scripts.ts';
import { snapshotPatch, type IncidentSnapshot } from '../domain/incident-snapshot.ts';

/** Snapshots outlive any open incident by far; a record silent for 90 days is dropped. */
const SNAPSHOT_TTL_SECONDS = 90 * 24 * 3600;

const FIELD = 'f:';
/** Snapshots written before the hash of fields held one JSON document here; read, never written. */
const LEGACY_DATA = 'data';

export type ApplyResult = 'applied' | 'stale';

/**
 * Compare-and-merge in one Lua call (lua/merge-snapshot-if-newer-1.lua), so concurrent workers
 * never lose an update and an older delivery (Jira and ServiceNow both redeliver late) never
 * rolls a newer snapshot back.
 *
 * The snapshot is a hash of fields (`f:<name>` → that field's JSON), so the merge is a plain
 * HSET and the script never decodes what a sender wrote: a value Lua's cjson refuses can no
 * longer fail the script, and so the event, eight times over.
 */
export class SnapshotStore {
  readonly #redis: RedisClient;
  readonly #keys: Keys;
  readonly #ttlSeconds: number;

  constructor(redis: RedisClient, keys: Keys, ttlSeconds = SNAPSHOT_TTL_SECONDS) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlSeconds = ttlSeconds;
  }

  async apply(event: IncidentEvent): Promise<ApplyResult> {
    const at = Date.parse(event.updatedAt);
    const key = this.#keys.snapshot(incidentKey(event));
    const fields = Object.entries(snapshotPatch(event)).flatMap(([name, value]) => [
      `${FIELD}${name}`,
      wellFormedJson(value),
    ]);
    const result = await runScript(
      this.#redis,
      SCRIPTS.mergeSnapshotIfNewer,
      [key],
      [String(at), String(this.#ttlSeconds), ...fields],
    );
    return result === 1 ? 'applied' : 'stale';
  }

  async get(key: string): Promise<IncidentSnapshot | undefined> {
    const hash = await this.#redis.hgetall(this.#keys.snapshot(key));
    const legacy = hash[LEGACY_DATA];
    const snapshot: Record<string, unknown> = legacy ? (JSON.parse(legacy) as Record<string, unknown>) : {};
    let found = legacy !== undefined;
    for (const [field, json] of Object.entries(hash)) {
      if (!field.startsWith(FIELD)) continue;
      snapshot[field.slice(FIELD.length)] = JSON.parse(json) as unknown;
      found = true;
    }
    return found ? (snapshot as IncidentSnapshot) : undefined;
  }
}
