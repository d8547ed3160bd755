import type { Redis } from 'ioredis';
import type { ConfigStore } from '../config-store.ts';
import { buildConfig } from '../files/build-config.ts';
import { readConfigDir } from '../files/read-config-dir.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ConfigVersions } from './config-versions.ts';
import { fromDirFiles, toDirFiles } from './version-files.ts';
import { withTimeout } from '../../queue/with-timeout.ts';

const SUBSCRIBE_WAIT_MS = 2_000;

export interface ConfigSyncDeps {
  readonly config: ConfigStore;
  readonly versions: ConfigVersions;
  /** A connection to duplicate for the subscription (a subscribed connection can do nothing else). */
  readonly redis: Redis;
  readonly logger: Logger;
}

/** Reloads from MIM_CONFIG_DIR: what the files say is recorded, with author `files`. */
const FROM_FILES = new Set(['start', 'file', 'sighup', 'admin']);

/**
 * Keeps every process on the version in `config:active`:
 * - start-up: the files in MIM_CONFIG_DIR win; unless already active, they are recorded (author `files`) and announced,
 *   and a warning names `rules export` when an API-applied version was active before;
 * - a reload from files is recorded the same way (nothing new when the version is already active);
 * - a version announced on the channel (the admin API, in this process or another) is read from
 *   Redis, validated by the same loader, and swapped in. Pub/sub is at most once, so the active
 *   key is read again whenever the subscription (re)connects: a message missed while Redis was
 *   away is caught up then.
 */
export async function startConfigSync(deps: ConfigSyncDeps): Promise<() => Promise<void>> {
  const { config, versions, logger } = deps;

  const recordFiles = async (trigger: string) => {
    const current = config.current();
    const dirFiles = await readConfigDir(current.dir);
    const files = fromDirFiles(dirFiles);
    // The directory may have changed again since it was loaded: record only what is active.
    if (buildConfig(toDirFiles(current.dir, files)).version !== current.version) return;
    const entry = { id: current.version, appliedAt: new Date().toISOString(), appliedBy: 'files', source: 'files' as const, comment: `loaded from ${current.dir} (${trigger})` };
    // Every process starting on the same files would otherwise add an entry: only a change is recorded.
    const { recorded, previous } = await versions.record(entry, files, { onlyIfChanged: true });
    if (trigger === 'start' && previous && previous !== current.version) {
      const last = (await versions.history()).find((e) => e.id === previous && e.source === 'api');
      if (last) {
        logger.warn({ active: current.version, replaced: previous, appliedBy: last.appliedBy, appliedAt: last.appliedAt },
          `the files in ${current.dir} replaced version ${previous}, applied through the admin API; to keep it, write it to the files with \`mim-bridge rules export --version ${previous}\` and deploy them`);
      }
    }
    return recorded;
  };

  const adoptActive = async (id: string | null) => {
    if (!id || id === config.current().version) return;
    const files = await versions.files(id);
    if (!files) return void logger.error({ version: id }, 'the announced config version is not stored; keeping the current one');
    try {
      await config.adopt(buildConfig(toDirFiles(config.current().dir, files)), 'remote');
    } catch (err) {
      logger.error({ err, version: id }, 'the announced config version does not load here; keeping the current one');
    }
  };

  const unsubscribe = config.onChange((_next, trigger) => {
    if (FROM_FILES.has(trigger)) void recordFiles(trigger).catch((err: unknown) => logger.warn({ err }, 'could not record the config version from files'));
  });
  try {
    await recordFiles('start');
  } catch (err) {
    logger.warn({ err }, 'could not record the start-up config version in Redis; the history misses it');
  }

  const subscriber = deps.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', (err: Error) => logger.debug({ err: err.message, connection: 'config-subscriber' }, 'redis connection error'));
  subscriber.on('message', (_channel: string, id: string) => void adoptActive(id));
  subscriber.on('ready', () => void versions.active().then(adoptActive, (err: unknown) => logger.warn({ err }, 'could not read the active config version')));
  // Bounded: with Redis away at start-up the subscription completes when it comes back.
  await withTimeout(subscriber.subscribe(versions.channel), SUBSCRIBE_WAIT_MS, () => new Error('Redis did not answer')).catch((err: unknown) => logger.warn({ err }, 'could not subscribe to config versions; other processes will not pick up API changes until this one reconnects'));

  return async () => {
    unsubscribe();
    // A subscription has nothing to flush, and QUIT would wait for a Redis that may be gone.
    subscriber.disconnect();
  };
}
