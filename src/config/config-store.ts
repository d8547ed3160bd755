import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../observability/logger.ts';
import { configInfo, configReloads } from '../observability/metrics.ts';
import { ConfigError } from './files/config-error.ts';
import { loadConfig, type LoadedConfig } from './files/load-config.ts';

export type ReloadTrigger = 'start' | 'file' | 'sighup' | 'admin';
export type ReloadResult =
  | { readonly ok: true; readonly version: string; readonly changed: boolean }
  | { readonly ok: false; readonly error: ConfigError };

const DEBOUNCE_MS = 300;

/**
 * Holds the active config and swaps it atomically. A new version is loaded and validated in
 * full first; an invalid one is rejected, logged and counted, and the previous one stays active.
 */
export class ConfigStore {
  #current: LoadedConfig;
  readonly #logger: Logger;
  readonly #listeners = new Set<(config: LoadedConfig) => void>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(initial: LoadedConfig, logger: Logger) {
    this.#current = initial;
    this.#logger = logger;
    configInfo.set({ version: initial.version }, 1);
  }

  /** Loads the directory once; an invalid config at start-up is an error the caller reports. */
  static async open(dir: string, logger: Logger): Promise<ConfigStore> {
    const config = await loadConfig(dir);
    configReloads.inc({ result: 'applied', trigger: 'start' });
    logger.info({ version: config.version, dir }, 'config loaded');
    return new ConfigStore(config, logger);
  }

  current(): LoadedConfig {
    return this.#current;
  }

  onChange(listener: (config: LoadedConfig) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reloads are serialized, so two quick triggers never race each other. */
  reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    const run = this.#queue.then(() => this.#reload(trigger));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reload(trigger: ReloadTrigger): Promise<ReloadResult> {
    let next: LoadedConfig;
    try {
      next = await loadConfig(this.#current.dir);
    } catch (err) {
      const error = err instanceof ConfigError ? err : new ConfigError([{ file: '(config)', line: 1, column: 1, path: '', message: (err as Error).message }]);
      configReloads.inc({ result: 'rejected', trigger });
      this.#logger.error({ trigger, issues: error.issues, activeVersion: this.#current.version }, 'config rejected; the previous version stays active');
      return { ok: false, error };
    }
    if (next.version === this.#current.version) {
      configReloads.inc({ result: 'unchanged', trigger });
      return { ok: true, version: next.version, changed: false };
    }
    const previous = this.#current.version;
    this.#current = next;
    configInfo.reset();
    configInfo.set({ version: next.version }, 1);
    configReloads.inc({ result: 'applied', trigger });
    this.#logger.info({ trigger, version: next.version, previous }, 'config applied');
    for (const listener of this.#listeners) listener(next);
    return { ok: true, version: next.version, changed: true };
  }

  /** Reloads on file changes in the directory, debounced: editors write several times per save. */
  watch(): () => void {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.#current.dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload('file'), DEBOUNCE_MS);
        timer.unref();
      });
      watcher.on('error', (err) => this.#logger.warn({ err }, 'config watcher failed; use SIGHUP or the admin API to reload'));
    } catch (err) {
      this.#logger.warn({ err }, 'cannot watch the config directory; use SIGHUP or the admin API to reload');
    }
    return () => { clearTimeout(timer); watcher?.close(); };
  }
}
