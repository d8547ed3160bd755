import type { RedisClient } from '../lib/redis-client.ts';
import { wellFormedJson } from '../domain/well-formed.ts';
import { keys, type Keys } from './keys.ts';
import { runScript, SCRIPTS } from './scripts.ts';

/** The fields the store itself relies on; the full record is the domain's MajorIncident. */
export interface StoredMi {
  readonly id: string;
  readonly serviceId: string;
  readonly state: string;
  readonly createdAt: string;
  /** An exercise (drill) holds the service's exercise pointers, never its real ones. */
  readonly exercise?: boolean;
}

export interface ChildLink {
  readonly incidentKey: string;
  readonly [field: string]: unknown;
}

export type OpenPointer = 'claim' | 'release' | 'keep';

/**
 * Everything the store writes is JSON made well-formed (no lone surrogate), so the one script
 * that still decodes a record (a version check on one written before `v` existed) can read it.
 */
const json = wellFormedJson;
/** Timeline entries then outbox items, as the scripts' trailing arguments (lua/includes/push-lists.lua). */
const lists = (entries: readonly unknown[], outbox: readonly unknown[]) => [
  String(entries.length),
  ...entries.map(json),
  ...outbox.map(json),
];
/** The record's version, kept as a field of its own so the scripts compare it without decoding the record. */
const versionOf = (record: unknown) => {
  const v = (record as { updatedAt?: unknown }).updatedAt;
  return typeof v === 'string' ? v : '';
};

/**
 * Major incidents in Redis: a hash per MI (state + JSON), a hash of children, an append-only
 * timeline list, a per-service pointer to the open MI, and a pointer from every linked source
 * record to its MI. Writers race safely through the scripts in lua/ (a state change and the
 * actions it causes are written together: the actions go to the outbox in the same script).
 */
export class MiStore<T extends StoredMi, E = unknown> {
  readonly #redis: RedisClient;
  readonly #k: Keys;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#k = keys(prefix);
  }

  /**
   * The pointers a record holds: a drill its service's exercise pointers, anything else the real
   * ones. Apart, so the events path (which reads only the real ones) never attaches a real
   * incident to a drill nor re-opens one, and a drill never stops a real major incident opening.
   */
  #openKey(mi: Pick<StoredMi, 'serviceId' | 'exercise'>): string {
    return mi.exercise ? this.#k.miExerciseOpen(mi.serviceId) : this.#k.miOpen(mi.serviceId);
  }

  #lastKey(mi: Pick<StoredMi, 'serviceId' | 'exercise'>): string {
    return mi.exercise ? this.#k.miExerciseLast(mi.serviceId) : this.#k.miLast(mi.serviceId);
  }

  /** The transactional outbox: actions written with the state change that caused them. */
  get outboxKey(): string {
    return this.#k.outbox;
  }

  /** Creates `mi` unless its service already has an open MI; returns the id of the one that is open. */
  async createIfNoneOpen(
    mi: T,
    origin: ChildLink,
    entries: readonly E[],
    outbox: readonly unknown[] = [],
  ): Promise<string> {
    const k = this.#k;
    return (await runScript(
      this.#redis,
      SCRIPTS.createIfNoneOpen,
      [
        this.#openKey(mi),
        k.mi(mi.id),
        k.miChildren(mi.id),
        k.miTimeline(mi.id),
        k.miIndex,
        this.#lastKey(mi),
        k.miRecord(origin.incidentKey),
        k.outbox,
      ],
      [
        mi.id,
        mi.state,
        json(mi),
        String(Date.parse(mi.createdAt)),
        origin.incidentKey,
        json(origin),
        versionOf(mi),
        ...lists(entries, outbox),
      ],
    )) as string;
  }

  /** True when the child was new; an incident already attached is not attached twice. */
  async attachChild(
    id: string,
    child: ChildLink,
    entries: readonly E[],
    outbox: readonly unknown[] = [],
  ): Promise<boolean> {
    const k = this.#k;
    const result = await runScript(
      this.#redis,
      SCRIPTS.attachChild,
      [k.miChildren(id), k.miTimeline(id), k.miRecord(child.incidentKey), k.outbox],
      [id, child.incidentKey, json(child), ...lists(entries, outbox)],
    );
    return result === 1;
  }

  /** Compare-and-set: `applied`, `conflict` (the state moved; decide again) or `held` (another MI is open). */
  async transition(
    next: T,
    from: string,
    open: OpenPointer,
    entries: readonly E[],
    outbox: readonly unknown[] = [],
    expectedUpdatedAt = '',
  ): Promise<'applied' | 'conflict' | 'held'> {
    const k = this.#k;
    const result = await runScript(
      this.#redis,
      SCRIPTS.transition,
      [k.mi(next.id), k.miTimeline(next.id), this.#openKey(next), k.outbox],
      [next.id, from, next.state, json(next), open, expectedUpdatedAt, versionOf(next), ...lists(entries, outbox)],
    );
    return result === 1 ? 'applied' : result === -1 ? 'held' : 'conflict';
  }

  /** Writes fields that do not change the state (links, roles), if the state is still `expectedState`. */
  async patch(next: T, expectedState: string, expectedUpdatedAt = ''): Promise<boolean> {
    return (
      (await runScript(
        this.#redis,
        SCRIPTS.patchIfState,
        [this.#k.mi(next.id)],
        [expectedState, json(next), expectedUpdatedAt, versionOf(next)],
      )) === 1
    );
  }

  /** Actions outside a lifecycle move go through the same outbox and relay. */
  async enqueueOutbox(items: readonly unknown[]): Promise<void> {
    if (items.length) await this.#redis.rpush(this.#k.outbox, ...items.map(json));
  }

  /**
   * Queues the actions unless `member` was queued for this major incident before: the memory of
   * what it has already mirrored (comments), kept as long as the major incident itself, so a
   * replay of any age never posts twice. True when queued.
   */
  async enqueueOnce(id: string, member: string, items: readonly unknown[]): Promise<boolean> {
    if (!items.length) return false;
    return (
      (await runScript(
        this.#redis,
        SCRIPTS.enqueueOnce,
        [this.#k.miMirrored(id), this.#k.outbox],
        [member, ...items.map(json)],
      )) === 1
    );
  }

  /** Timeline entries and the actions they announce, in one MULTI: a crash never keeps one without the other. */
  async appendWithOutbox(id: string, entries: readonly E[], outbox: readonly unknown[]): Promise<void> {
    const m = this.#redis.multi();
    if (entries.length) m.rpush(this.#k.miTimeline(id), ...entries.map(json));
    if (outbox.length) m.rpush(this.#k.outbox, ...outbox.map(json));
    await m.exec();
  }

  /** Ids of this MI's timers that are scheduled (so a sync can remove the ones no longer planned). */
  async scheduledTimers(id: string): Promise<string[]> {
    return this.#redis.smembers(this.#k.miTimers(id));
  }

  async setScheduledTimers(id: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    const key = this.#k.miTimers(id);
    const m = this.#redis.multi();
    if (add.length) m.sadd(key, ...add);
    if (remove.length) m.srem(key, ...remove);
    await m.exec();
  }

  async appendTimeline(id: string, entries: readonly E[]): Promise<void> {
    if (entries.length) await this.#redis.rpush(this.#k.miTimeline(id), ...entries.map(json));
  }

  async get(id: string): Promise<T | undefined> {
    const [data, links, priority] = await Promise.all([
      this.#redis.hget(this.#k.mi(id), 'data'),
      this.#redis.hgetall(this.#k.miLinks(id)),
      this.#redis.hget(this.#k.miSynced(id), 'priority'),
    ]);
    if (!data) return undefined;
    const parsed = JSON.parse(data) as T & { links?: Record<string, unknown> };
    // A synced priority change is the major incident's priority from then on (messages, the admin API).
    const mi = priority ? { ...parsed, priority: (JSON.parse(priority) as { value: number }).value } : parsed;
    if (Object.keys(links).length === 0) return mi;
    const merged: Record<string, unknown> = { ...mi.links };
    for (const [field, json] of Object.entries(links)) {
      // `slack|C123` → links.slack.C123: one hash field per channel, so channel jobs never overwrite each other.
      const [system, sub] = field.split('|', 2) as [string, string | undefined];
      const value = JSON.parse(json) as unknown;
      merged[system] =
        sub === undefined ? value : { ...(merged[system] as Record<string, unknown> | undefined), [sub]: value };
    }
    return { ...mi, links: merged };
  }

  /** Maps another system's record (the Jira issue we created) to the MI, so its webhooks are recognised as ours. */
  async linkRecord(incidentKey: string, id: string): Promise<void> {
    await this.#redis.set(this.#k.miRecord(incidentKey), id);
  }

  /**
   * Records an id in another system (a Jira key, a ServiceNow sys_id, Slack ts per channel).
   * A hash of its own, so action workers never contend with state changes for the record.
   */
  async setLink(id: string, system: string, value: unknown, sub?: string): Promise<void> {
    if (sub !== undefined) {
      await this.#redis.hset(this.#k.miLinks(id), `${system}|${sub}`, JSON.stringify(value));
      return;
    }
    await this.#redis.hset(this.#k.miLinks(id), system, JSON.stringify(value));
  }

  /**
   * The current value of a field kept in sync between systems (priority), with the change that
   * set it. Its own hash, like links, so a field change never races a state change.
   */
  async setSynced(id: string, field: string, value: unknown): Promise<void> {
    await this.#redis.hset(this.#k.miSynced(id), field, JSON.stringify(value));
  }

  async synced(id: string): Promise<Record<string, unknown>> {
    const all = await this.#redis.hgetall(this.#k.miSynced(id));
    return Object.fromEntries(Object.entries(all).map(([f, v]) => [f, JSON.parse(v) as unknown]));
  }

  async children(id: string): Promise<ChildLink[]> {
    const all = await this.#redis.hvals(this.#k.miChildren(id));
    return all.map((c) => JSON.parse(c) as ChildLink);
  }

  async timeline(id: string, from = 0, to = -1): Promise<E[]> {
    return (await this.#redis.lrange(this.#k.miTimeline(id), from, to)).map((e) => JSON.parse(e) as E);
  }

  /** The service's open exercise (drill), if any: never returned by `openFor`. */
  async openExerciseFor(serviceId: string): Promise<T | undefined> {
    const id = await this.#redis.get(this.#k.miExerciseOpen(serviceId));
    return id ? this.get(id) : undefined;
  }

  /** The service's open real major incident: the one new incidents attach to. */
  async openFor(serviceId: string): Promise<T | undefined> {
    const id = await this.#redis.get(this.#k.miOpen(serviceId));
    return id ? this.get(id) : undefined;
  }

  /** The service's last real major incident (a drill is never one). */
  async lastFor(serviceId: string): Promise<T | undefined> {
    const id = await this.#redis.get(this.#k.miLast(serviceId));
    return id ? this.get(id) : undefined;
  }

  async findByRecord(incidentKey: string): Promise<T | undefined> {
    const id = await this.#redis.get(this.#k.miRecord(incidentKey));
    return id ? this.get(id) : undefined;
  }

  /**
   * The major incident linked to a record, the service's open one and its last one, with one MGET
   * of the three pointers and one read per distinct major incident: during an incident the open
   * and last are the same one, and often the record's too (the events worker asks on every event).
   */
  async lookup(
    incidentKey: string,
    serviceId: string | undefined,
  ): Promise<{ readonly linked?: T; readonly open?: T; readonly last?: T }> {
    const k = this.#k;
    const [linkedId, openId, lastId] = serviceId
      ? await this.#redis.mget(k.miRecord(incidentKey), k.miOpen(serviceId), k.miLast(serviceId))
      : [await this.#redis.get(k.miRecord(incidentKey)), null, null];
    const ids = [...new Set([linkedId, openId, lastId].filter((id): id is string => !!id))];
    const found = new Map(await Promise.all(ids.map(async (id) => [id, await this.get(id)] as const)));
    const pick = (id: string | null | undefined) => (id ? found.get(id) : undefined);
    const [linked, open, last] = [pick(linkedId), pick(openId), pick(lastId)];
    return { ...(linked ? { linked } : {}), ...(open ? { open } : {}), ...(last ? { last } : {}) };
  }

  /** Newest first, by creation time, within [fromMs, toMs]. */
  async list(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER, limit = 200): Promise<T[]> {
    const ids = await this.#redis.zrange(
      this.#k.miIndex,
      String(toMs),
      String(fromMs),
      'BYSCORE',
      'REV',
      'LIMIT',
      0,
      limit,
    );
    const rows: Array<T | undefined> = await Promise.all(ids.map((id) => this.get(id)));
    return rows.filter((r) => r !== undefined) as T[];
  }

  /**
   * Every major incident in one of `states` (reconciliation asks for the open ones), newest
   * first. Walks the whole creation index a batch at a time but loads only the matching records.
   */
  async listInStates(states: readonly string[], batch = 500): Promise<T[]> {
    const wanted = new Set(states);
    const found: T[] = [];
    for (let start = 0; ; start += batch) {
      const ids = await this.#redis.zrange(this.#k.miIndex, String(start), String(start + batch - 1), 'REV');
      const current = await Promise.all(ids.map((id) => this.#redis.hget(this.#k.mi(id), 'state')));
      const rows: Array<T | undefined> = await Promise.all(
        ids.filter((_, i) => wanted.has(current[i] ?? '')).map((id) => this.get(id)),
      );
      for (const r of rows) if (r !== undefined) found.push(r);
      if (ids.length < batch) return found;
    }
  }
}
