import type { RedisClient } from '../../lib/redis-client.ts';
import { keys, type Keys } from '../../store/keys.ts';
import { runScript, SCRIPTS } from '../../store/scripts.ts';
import { parseEntry, parseStoredFiles, VERSION_ID, type StoredVersion, type VersionEntry } from './stored-version.ts';
import type { VersionFiles } from './version-files.ts';

export { VERSION_ID, type VersionEntry, type VersionSource } from './stored-version.ts';

/** How many history entries are kept; files no entry refers to any more are deleted. */
export const MAX_HISTORY = 100;

export type NewEntry = Omit<VersionEntry, 'previous'>;

/**
 * The config version history in Redis, under the service prefix: `config:active` (the version
 * every process should run), `config:history` (entries, newest first), `config:files:<id>`
 * (a version's files as JSON) and the pub/sub channel `config:activated` that tells every
 * process a version became active.
 */
export class ConfigVersions {
  readonly #redis: RedisClient;
  readonly #k: Keys;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#k = keys(prefix);
  }

  get channel(): string {
    return this.#k.configActivated;
  }

  /**
   * Records a version as active and announces it, in one step so two processes never interleave
   * (store/lua/record-config-version-4.lua). Returns whether an entry was written and the
   * version that was active in Redis before (null when there was none).
   */
  async record(
    entry: NewEntry,
    files: VersionFiles,
    opts: { onlyIfChanged?: boolean } = {},
  ): Promise<{ recorded: boolean; previous: string | null }> {
    const k = this.#k;
    const [recorded, prev] = (await runScript(
      this.#redis,
      SCRIPTS.recordConfigVersion,
      [k.configActive, k.configHistory, k.configFiles(entry.id), k.configFileIndex],
      [
        entry.id,
        JSON.stringify(entry),
        JSON.stringify(files),
        opts.onlyIfChanged ? '1' : '0',
        String(MAX_HISTORY),
        k.configActivated,
        k.configFilesPrefix,
      ],
    )) as [number, string];
    return { recorded: recorded === 1, previous: prev || null };
  }

  async active(): Promise<string | null> {
    return this.#redis.get(this.#k.configActive);
  }

  /** The history newest first; a line that is not an entry is left out rather than failing the rest. */
  async history(): Promise<VersionEntry[]> {
    return (await this.#redis.lrange(this.#k.configHistory, 0, -1)).flatMap((s) => parseEntry(s) ?? []);
  }

  /** A version's files, or why there are none usable: missing, or malformed (checked with zod). */
  async read(id: string): Promise<StoredVersion> {
    if (!VERSION_ID.test(id)) return { state: 'missing' };
    return parseStoredFiles(await this.#redis.get(this.#k.configFiles(id)));
  }

  /** A version's files when stored and well-formed. */
  async files(id: string): Promise<VersionFiles | undefined> {
    const stored = await this.read(id);
    return stored.state === 'stored' ? stored.files : undefined;
  }
}
