import type { Redis } from 'ioredis';
import { parseEntry, parseStoredFiles, VERSION_ID, type StoredVersion, type VersionEntry } from './stored-version.ts';
import type { VersionFiles } from './version-files.ts';

export { VERSION_ID, type VersionEntry, type VersionSource } from './stored-version.ts';

/** How many history entries are kept; files no entry refers to any more are deleted. */
export const MAX_HISTORY = 100;

export type NewEntry = Omit<VersionEntry, 'previous'>;

/**
 * Stores the files once per version (content-addressed), pushes the entry, trims the history,
 * drops the files of versions no longer in it, marks the version active and announces it, in
 * one step so two processes never interleave.
 * With ARGV[4] = '1' nothing happens when the version is already active (a reload of unchanged files).
 * A history line that is not JSON is skipped, not fatal: it would otherwise refuse every new version.
 */
const RECORD = `
local prev = redis.call('GET', KEYS[1])
if ARGV[4] == '1' and prev == ARGV[1] then return {0, prev} end
local entry = cjson.decode(ARGV[2])
entry['previous'] = prev or cjson.null
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('LPUSH', KEYS[2], cjson.encode(entry))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call('SET', KEYS[1], ARGV[1])
local live = {}
for _, raw in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local ok, e = pcall(cjson.decode, raw)
  if ok and type(e) == 'table' and type(e['id']) == 'string' then live[e['id']] = true end
end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if not live[id] then
    redis.call('DEL', ARGV[7] .. id)
    redis.call('SREM', KEYS[4], id)
  end
end
redis.call('PUBLISH', ARGV[6], ARGV[1])
return {1, prev or ''}
`;

/**
 * The config version history in Redis, under the service prefix: `config:active` (the version
 * every process should run), `config:history` (entries, newest first), `config:files:<id>`
 * (a version's files as JSON) and the pub/sub channel `config:activated` that tells every
 * process a version became active.
 */
export class ConfigVersions {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  get channel(): string {
    return `${this.#prefix}:config:activated`;
  }

  #key(name: string): string {
    return `${this.#prefix}:config:${name}`;
  }

  /**
   * Records a version as active and announces it. Returns whether an entry was written and the
   * version that was active in Redis before (null when there was none).
   */
  async record(entry: NewEntry, files: VersionFiles, opts: { onlyIfChanged?: boolean } = {}): Promise<{ recorded: boolean; previous: string | null }> {
    const [recorded, prev] = (await this.#redis.eval(
      RECORD, 4, this.#key('active'), this.#key('history'), this.#key(`files:${entry.id}`), this.#key('file-index'),
      entry.id, JSON.stringify(entry), JSON.stringify(files), opts.onlyIfChanged ? '1' : '0', String(MAX_HISTORY), this.channel, this.#key('files:'),
    )) as [number, string];
    return { recorded: recorded === 1, previous: prev || null };
  }

  async active(): Promise<string | null> {
    return this.#redis.get(this.#key('active'));
  }

  /** The history newest first; a line that is not an entry is left out rather than failing the rest. */
  async history(): Promise<VersionEntry[]> {
    return (await this.#redis.lrange(this.#key('history'), 0, -1)).flatMap((s) => parseEntry(s) ?? []);
  }

  /** A version's files, or why there are none usable: missing, or malformed (checked with zod). */
  async read(id: string): Promise<StoredVersion> {
    if (!VERSION_ID.test(id)) return { state: 'missing' };
    return parseStoredFiles(await this.#redis.get(this.#key(`files:${id}`)));
  }

  /** A version's files when stored and well-formed. */
  async files(id: string): Promise<VersionFiles | undefined> {
    const stored = await this.read(id);
    return stored.state === 'stored' ? stored.files : undefined;
  }
}
