import type { ConfigStore } from '../config-store.ts';
import { buildConfig, type LoadedConfig } from '../files/build-config.ts';
import { ConfigError, type ConfigIssue } from '../files/config-error.ts';
import { readConfigDir, contentVersion } from '../files/read-config-dir.ts';
import type { ConfigVersions } from './config-versions.ts';
import { fromDirFiles, toDirFiles, type VersionFiles } from './version-files.ts';

export type ApplyOutcome =
  | { readonly ok: true; readonly version: string; readonly previous: string; readonly changed: boolean }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * The active version's files: from Redis, or from MIM_CONFIG_DIR when they still are that
 * version (Redis did not have them recorded at start-up). Undefined when neither holds them.
 */
export async function activeFiles(config: ConfigStore, versions: ConfigVersions): Promise<VersionFiles | undefined> {
  const current = config.current();
  const stored = await versions.files(current.version);
  if (stored) return stored;
  const dir = await readConfigDir(current.dir);
  return contentVersion(dir) === current.version ? fromDirFiles(dir) : undefined;
}

/**
 * Validates a whole version with the start-up loader (from memory, labelled with the config
 * directory), records it in Redis (which announces it to every process) and swaps it in here.
 * An invalid version changes nothing; re-applying the active one records nothing.
 */
export async function applyVersion(
  config: ConfigStore,
  versions: ConfigVersions,
  files: VersionFiles,
  meta: { readonly appliedBy: string; readonly comment?: string; readonly rollbackOf?: string },
): Promise<ApplyOutcome> {
  const previous = config.current().version;
  let next: LoadedConfig;
  try {
    next = buildConfig(toDirFiles(config.current().dir, files));
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, issues: err.issues };
    throw err;
  }
  if (next.version === previous) return { ok: true, version: next.version, previous, changed: false };
  await versions.record(
    {
      id: next.version,
      appliedAt: new Date().toISOString(),
      appliedBy: meta.appliedBy,
      source: 'api',
      ...(meta.comment ? { comment: meta.comment } : {}),
      ...(meta.rollbackOf ? { rollbackOf: meta.rollbackOf } : {}),
    },
    files,
  );
  await config.adopt(next, 'api');
  return { ok: true, version: next.version, previous, changed: true };
}
