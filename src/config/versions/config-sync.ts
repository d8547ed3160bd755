import { type RedisClient, subscriberOf } from '../../lib/redis-client.ts';
import type { ConfigStore } from '../config-store.ts';
import { buildConfig, type LoadedConfig } from '../files/build-config.ts';
import { readConfigDir } from '../files/read-config-dir.ts';
import type { Logger } from '../../observability/logger.ts';
import { configSyncRejected, type ConfigSyncRejection } from '../config-metrics.ts';
import { ConfigError } from '../files/config-error.ts';
import { VERSION_ID, type ConfigVersions } from './config-versions.ts';
import { fromDirFiles, toDirFiles } from './version-files.ts';
import { withTimeout } from '../../lib/with-timeout.ts';

const SUBSCRIBE_WAIT_MS = 2_000;

export interface ConfigSyncDeps {
  readonly config: ConfigStore;
  readonly versions: ConfigVersions;
  /** A connection to duplicate for the subscription (a subscribed connection can do nothing else). */
  readonly redis: RedisClient;
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
 *   away is caught up then;
 * - anything else there (not a version id, not stored, malformed files, files that do not load or
 *   whose hash is not their id, a Redis error) is logged and counted (mim_config_sync_rejected_total)
 *   and the current version kept: a bad value in Redis must not stop every process, at every restart.
 */
export async function startConfigSync(deps: ConfigSyncDeps): Promise<() => Promise<void>> {
  const { config, versions, logger } = deps;

  const recordFiles = async (trigger: string) => {
    const current = config.current();
    const dirFiles = await readConfigDir(current.dir);
    const files = fromDirFiles(dirFiles);
    // The directory may have changed again since it was loaded: record only what is active.
    if (buildConfig(toDirFiles(current.dir, files)).version !== current.version) return;
    const entry = {
      id: current.version,
      appliedAt: new Date().toISOString(),
      appliedBy: 'files',
      source: 'files' as const,
      comment: `loaded from ${current.dir} (${trigger})`,
    };
    // Every process starting on the same files would otherwise add an entry: only a change is recorded.
    const { recorded, previous } = await versions.record(entry, files, { onlyIfChanged: true });
    if (trigger === 'start' && previous && previous !== current.version) {
      const last = (await versions.history()).find((e) => e.id === previous && e.source === 'api');
      if (last) {
        logger.warn(
          { active: current.version, replaced: previous, appliedBy: last.appliedBy, appliedAt: last.appliedAt },
          `the files in ${current.dir} replaced version ${previous}, applied through the admin API; to keep it, ` +
            `write it to the files with \`mim-bridge rules export --version ${previous}\` and deploy them`,
        );
      }
    }
    return recorded;
  };

  const reject = (reason: ConfigSyncRejection, detail: Record<string, unknown>) => {
    configSyncRejected.inc({ reason });
    logger.error(
      { reason, ...detail, running: config.current().version },
      'config version from Redis not adopted; keeping the current one',
    );
  };

  /** Never throws: whatever Redis holds, the process keeps its current version and says why. */
  const adoptActive = async (id: string | null, from: 'channel' | 'active') => {
    try {
      if (id === null) return;
      // Only a length and a bounded excerpt: the value is whatever was written to Redis.
      if (!VERSION_ID.test(id))
        return reject('malformed_id', { from, value: JSON.stringify(id.slice(0, 40)), length: id.length });
      if (id === config.current().version) return;
      const stored = await versions.read(id);
      if (stored.state === 'missing') return reject('not_stored', { from, version: id });
      if (stored.state === 'malformed') return reject('malformed_files', { from, version: id, problem: stored.reason });
      let next: LoadedConfig;
      try {
        next = buildConfig(toDirFiles(config.current().dir, stored.files));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return reject('invalid_config', { from, version: id, problems: err.lines().slice(0, 20) });
      }
      if (next.version !== id) return reject('version_mismatch', { from, version: id, contentVersion: next.version });
      await config.adopt(next, 'remote');
    } catch (err) {
      reject('read_failed', { from, version: id, err });
    }
  };

  const unsubscribe = config.onChange((_next, trigger) => {
    if (FROM_FILES.has(trigger))
      void recordFiles(trigger).catch((err: unknown) =>
        logger.warn({ err }, 'could not record the config version from files'),
      );
  });
  try {
    await recordFiles('start');
  } catch (err) {
    logger.warn({ err }, 'could not record the start-up config version in Redis; the history misses it');
  }

  const subscriber = subscriberOf(deps.redis);
  subscriber.on('error', (err: Error) =>
    logger.debug({ err: err.message, connection: 'config-subscriber' }, 'redis connection error'),
  );
  subscriber.on('message', (_channel: string, id: string) => void adoptActive(id, 'channel'));
  subscriber.on(
    'ready',
    () =>
      void versions.active().then(
        (id) => adoptActive(id, 'active'),
        (err: unknown) => reject('read_failed', { from: 'active', err }),
      ),
  );
  // Bounded: with Redis away at start-up the subscription completes when it comes back.
  await withTimeout(
    subscriber.subscribe(versions.channel),
    SUBSCRIBE_WAIT_MS,
    () => new Error('Redis did not answer'),
  ).catch((err: unknown) =>
    logger.warn(
      { err },
      'could not subscribe to config versions; other processes will not pick up API changes until this one reconnects',
    ),
  );

  return async () => {
    unsubscribe();
    // A subscription has nothing to flush, and QUIT would wait for a Redis that may be gone.
    subscriber.disconnect();
  };
}
