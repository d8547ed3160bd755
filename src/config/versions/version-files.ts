import { CONFIG_FILE_NAMES, REGISTERS, type ConfigFileName } from '../files/schema.ts';
import type { ConfigDirFiles } from '../files/read-config-dir.ts';

/** A config version as text: path relative to the config directory → content. */
export type VersionFiles = Readonly<Record<string, string>>;

/** One file of a version; the largest shipped file (rules.yaml) is about 5 KiB. */
export const MAX_FILE_BYTES = 64 * 1024;
/** A version as a whole (the four YAML files and every template), stored in Redis per version. */
export const MAX_VERSION_BYTES = 1024 * 1024;

const TEMPLATE_PATH = new RegExp(`^templates/(${REGISTERS.join('|')})/[A-Za-z0-9][A-Za-z0-9_-]*\\.liquid$`);

/** Only what the loader reads: the four YAML files and templates/<register>/<name>.liquid. */
export function isVersionFileName(name: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(name) || TEMPLATE_PATH.test(name);
}

export interface FileProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * The active files with the given changes laid over them: a string replaces or adds a file, null
 * removes a template. Unknown names and oversized files are refused, all at once.
 */
export function mergeFiles(
  base: VersionFiles,
  changes: Readonly<Record<string, string | null>>,
): { files: VersionFiles } | { problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const files: Record<string, string> = { ...base };
  for (const [name, content] of Object.entries(changes)) {
    if (!isVersionFileName(name)) {
      const templates = `templates/{${REGISTERS.join(',')}}/<name>.liquid`;
      problems.push({ file: name, message: `unknown file: only ${CONFIG_FILE_NAMES.join(', ')} and ${templates}` });
    } else if (content === null) {
      if ((CONFIG_FILE_NAMES as readonly string[]).includes(name))
        problems.push({ file: name, message: 'a YAML file cannot be removed' });
      else delete files[name];
    } else if (Buffer.byteLength(content) > MAX_FILE_BYTES) {
      problems.push({ file: name, message: `larger than ${MAX_FILE_BYTES} bytes` });
    } else {
      files[name] = content;
    }
  }
  const total = Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0);
  if (total > MAX_VERSION_BYTES)
    problems.push({ file: '.', message: `the version is larger than ${MAX_VERSION_BYTES} bytes` });
  return problems.length ? { problems } : { files: sortedFiles(files) };
}

function sortedFiles(files: Readonly<Record<string, string>>): VersionFiles {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The bytes the loader validates, from text held in memory; `dir` only labels the result. */
export function toDirFiles(dir: string, files: VersionFiles): ConfigDirFiles {
  const yaml = {} as Record<ConfigFileName, Buffer | undefined>;
  for (const f of CONFIG_FILE_NAMES) yaml[f] = files[f] === undefined ? undefined : Buffer.from(files[f], 'utf8');
  const templates = Object.keys(files)
    .filter((f) => f.startsWith('templates/'))
    .sort()
    .map((f) => ({ name: f.slice('templates/'.length), bytes: Buffer.from(files[f]!, 'utf8') }));
  return { dir, yaml, templates };
}

/** A directory's bytes as version text (the loader's reading of MIM_CONFIG_DIR). */
export function fromDirFiles(files: ConfigDirFiles): VersionFiles {
  const out: Record<string, string> = {};
  for (const f of CONFIG_FILE_NAMES) if (files.yaml[f]) out[f] = files.yaml[f].toString('utf8');
  for (const t of files.templates) out[`templates/${t.name}`] = t.bytes.toString('utf8');
  return sortedFiles(out);
}
