import { buildConfig, type LoadedConfig } from './build-config.ts';
import { readConfigDir } from './read-config-dir.ts';

export type { LoadedConfig } from './build-config.ts';

/** Reads, validates and compiles the config directory; throws ConfigError listing every problem. */
export async function loadConfig(dir: string): Promise<LoadedConfig> {
  return buildConfig(await readConfigDir(dir));
}
