import type { ConfigStore } from '../../config/config-store.ts';
import { buildConfig } from '../../config/files/build-config.ts';
import { ConfigError, type ConfigIssue } from '../../config/files/config-error.ts';
import type { LoadedConfig } from '../../config/files/load-config.ts';
import { activeFiles } from '../../config/versions/apply-version.ts';
import { mergeFiles, toDirFiles } from '../../config/versions/version-files.ts';

export type SimulationConfig =
  | { readonly ok: true; readonly config: LoadedConfig; readonly draft: boolean }
  | { readonly ok: false; readonly status: 400 | 409 | 422; readonly body: Record<string, unknown> };

/**
 * The config a dry run uses: the active one, or a draft — the active files with some replaced
 * (`draft: { 'rules.yaml': '…' }`), validated by the start-up loader like an apply, never applied.
 */
export async function simulationConfig(store: ConfigStore, draft: Readonly<Record<string, string | null>> | undefined): Promise<SimulationConfig> {
  if (!draft) return { ok: true, config: store.current(), draft: false };
  const base = store.versions ? await activeFiles(store, store.versions) : undefined;
  if (!base) return { ok: false, status: 409, body: { error: 'no_active_files', reason: 'the active version\'s files are not available to draft from' } };
  const merged = mergeFiles(base, draft);
  if ('problems' in merged) return { ok: false, status: 400, body: { error: 'invalid_files', issues: merged.problems } };
  try {
    return { ok: true, config: buildConfig(toDirFiles(store.current().dir, merged.files)), draft: true };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, status: 422, body: { error: 'invalid_config', issues: err.issues as readonly ConfigIssue[] } };
    throw err;
  }
}
