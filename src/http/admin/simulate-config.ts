import type { ConfigStore } from '../../config/config-store.ts';
import type { LoadedConfig } from '../../config/files/load-config.ts';
import { contentVersion, readConfigDir } from '../../config/files/read-config-dir.ts';
import { activeFiles } from '../../config/versions/apply-version.ts';
import { fromDirFiles, mergeFiles, type VersionFiles } from '../../config/versions/version-files.ts';

export type SimulationFiles =
  | { readonly ok: true; readonly dir: string; readonly files: VersionFiles; readonly draft: boolean }
  | { readonly ok: false; readonly status: 400 | 409; readonly body: Record<string, unknown> };

// The active version's files, read once per version: every simulation sends them to the sandbox, which builds and keeps
// the config.
const filesOf = new WeakMap<LoadedConfig, VersionFiles>();

async function activeVersionFiles(store: ConfigStore): Promise<VersionFiles | undefined> {
  const current = store.current();
  const known = filesOf.get(current);
  if (known) return known;
  let files: VersionFiles | undefined;
  if (store.versions) {
    files = await activeFiles(store, store.versions);
  } else {
    const dir = await readConfigDir(current.dir);
    files = contentVersion(dir) === current.version ? fromDirFiles(dir) : undefined;
  }
  if (files) filesOf.set(current, files);
  return files;
}

/**
 * The files a dry run uses: the active version's, or a draft — the active files with some replaced
 * (`draft: { 'rules.yaml': '…' }`). The sandbox builds them with the start-up loader (sandbox/tasks.ts),
 * never on the web thread, and never applies them.
 */
export async function simulationFiles(
  store: ConfigStore,
  draft: Readonly<Record<string, string | null>> | undefined,
): Promise<SimulationFiles> {
  const dir = store.current().dir;
  const base = await activeVersionFiles(store);
  if (!base)
    return {
      ok: false,
      status: 409,
      body: { error: 'no_active_files', reason: "the active version's files are not available to simulate with" },
    };
  if (!draft) return { ok: true, dir, files: base, draft: false };
  const merged = mergeFiles(base, draft);
  if ('problems' in merged)
    return { ok: false, status: 400, body: { error: 'invalid_files', issues: merged.problems } };
  return { ok: true, dir, files: merged.files, draft: true };
}
