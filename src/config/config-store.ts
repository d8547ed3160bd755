import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../observability/logger.ts';
import { configInfo, configLastApplied, configReloads } from './config-metrics.ts';
import { ConfigError } from './files/config-error.ts';
import { loadConfig, type LoadedConfig } from './files/load-config.ts';
import type { ConfigVersions } from './versions/config-versions.ts';

/** `api`: a version applied or rolled back through the admin API; `remote`: one another process applied. */
export type ReloadTrigger = 'start' | 'file' | 'sighup' | 'admin' | 'api' | 'remote';
export type ReloadResult =
  | { readonly ok: true; readonly version: string; readonly changed: boolean }
  | { readonly ok: false; readonly error: ConfigError; readonly activeVersion: string };

/** Editors write a file several times per save (temp file, rename, chmod): wait for quiet. */
export const WATCH_DEBOUNCE_MS = 300;

/**
 * Holds the active config and swaps it atomically. A new version is loaded and validated in
 * full first; an invalid one is rejected, logged and counted, and the previous one stays active.
 * Readers take `current()` once per event, so an event finishes under the version it started with.
 */
export class ConfigStore {
  #current: LoadedConfig;
  readonly #logger: Logger;
  readonly #listeners = new Set<(config: LoadedConfig, trigger: ReloadTrigger) => void>();
  /** The stored version history (config/versions), attached by the service when Redis is wired. */
  versions: ConfigVersions | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(initial: LoadedConfig, logger: Logger) {
    this.#current = initial;
    this.#logger = logger;
    this.#publish(initial);
  }

  /** Loads the directory once; an invalid config at start-up is a ConfigError the caller reports. */
  static async open(dir: string, logger: Logger): Promise<ConfigStore> {
    const config = await loadConfig(dir);
    configReloads.inc({ result: 'applied', trigger: 'start' });
    logger.info({ version: config.version, dir }, 'config loaded');
    return new ConfigStore(config, logger);
  }

  current(): LoadedConfig {
    return this.#current;
  }

  /** Called after each swap with the new version and what caused it; returns an unsubscribe function. */
  onChange(listener: (config: LoadedConfig, trigger: ReloadTrigger) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reloads are serialized, so two quick triggers never race each other. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const run = this.#queue.then(() => this.#reload(trigger));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Swaps in a version validated elsewhere (built from files held in memory: the admin API, or
   * another process's version from Redis), serialized with reloads. Same version: no change.
   */
  adopt(next: LoadedConfig, trigger: ReloadTrigger): Promise<ReloadResult> {
    const run = this.#queue.then(() => this.#swap(next, trigger));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #publish(config: LoadedConfig): void {
    configInfo.reset();
    configInfo.set({ version: config.version }, 1);
    configLastApplied.set(Date.now() / 1000);
  }

  async #reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const active = this.#current;
    let next: LoadedConfig;
    try {
      next = await loadConfig(active.dir);
    } catch (err) {
      const error =
        err instanceof ConfigError
          ? err
          : new ConfigError(active.dir, [{ file: '.', line: 1, column: 1, path: '', message: (err as Error).message }]);
      configReloads.inc({ result: 'rejected', trigger });
      this.#logger.error(
        { trigger, problems: error.lines(), activeVersion: active.version },
        'config rejected; the previous version stays active',
      );
      return { ok: false, error, activeVersion: active.version };
    }
    return this.#swap(next, trigger);
  }

  #swap(next: LoadedConfig, trigger: ReloadTrigger): ReloadResult {
    const active = this.#current;
    if (next.version === active.version) {
      configReloads.inc({ result: 'unchanged', trigger });
      return { ok: true, version: next.version, changed: false };
    }
    this.#current = next;
    this.#publish(next);
    configReloads.inc({ result: 'applied', trigger });
    this.#logger.info({ trigger, version: next.version, previous: active.version }, 'config applied');
    for (const listener of this.#listeners) {
      try {
        listener(next, trigger);
      } catch (err) {
        this.#logger.error({ err }, 'a config change listener failed');
      }
    }
    return { ok: true, version: next.version, changed: true };
  }

  /** Reloads on file changes in the directory, debounced. Returns a function that stops watching. */
  watch(debounceMs = WATCH_DEBOUNCE_MS): () => void {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.#current.dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload('file'), debounceMs);
        timer.unref();
      });
      watcher.on('error', (err) =>
        this.#logger.warn({ err }, 'config watcher failed; use SIGHUP or the admin API to reload'),
      );
    } catch (err) {
      this.#logger.warn({ err }, 'cannot watch the config directory; use SIGHUP or the admin API to reload');
    }
    return () => {
      clearTimeout(timer);
      watcher?.close();
    };
  }
}

/** `kill -HUP <pid>` reloads the config. Returns a function that removes the handler. */
export function installSighup(
  store: Pick<ConfigStore, 'reload'>,
  proc: Pick<NodeJS.Process, 'on' | 'off'> = process,
): () => void {
  const onHup = () => void store.reload('sighup');
  proc.on('SIGHUP', onHup);
  return () => proc.off('SIGHUP', onHup);
}
