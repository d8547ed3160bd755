import { z } from 'zod';
import { MAX_VERSION_BYTES, isVersionFileName, type VersionFiles } from './version-files.ts';

/**
 * What Redis holds about config versions, checked on the way in. Anything with write access to
 * Redis can put anything there, and every process reads it at start-up and on each announcement:
 * a value that fails these shapes is reported, never thrown at a caller that did not expect it.
 */

/** The content hash (files/read-config-dir.ts contentVersion) that names a version. */
export const VERSION_ID = /^[0-9a-f]{12}$/;
export const VersionId = z.string().regex(VERSION_ID, 'a version id: 12 lower-case hex digits');

export const VersionEntry = z
  .object({
    id: VersionId,
    appliedAt: z.string(),
    /** The admin token's name, or `files` for MIM_CONFIG_DIR (start-up and reloads). */
    appliedBy: z.string(),
    source: z.enum(['api', 'files']),
    comment: z.string().optional(),
    /** The version active before this one; null for the first entry. */
    previous: z.string().nullable(),
    /** Set on a rollback: the version it restored. */
    rollbackOf: z.string().optional(),
  })
  .readonly();
/** One line of the history: a version became active. The same version may appear more than once (a rollback). */
export type VersionEntry = z.infer<typeof VersionEntry>;
export type VersionSource = VersionEntry['source'];

/** Only the names the loader reads: anything else could be written outside the directory by `rules export`. */
const StoredFiles = z.record(
  z
    .string()
    .refine(isVersionFileName, 'not a config file name (the four YAML files or templates/<register>/<name>.liquid)'),
  z.string(),
);

/** JSON escaping can double a version's bytes; a value far beyond that is refused before parsing. */
const MAX_STORED_CHARS = 2 * MAX_VERSION_BYTES + 1024;

export type StoredVersion =
  | { readonly state: 'stored'; readonly files: VersionFiles }
  | { readonly state: 'missing' }
  | { readonly state: 'malformed'; readonly reason: string };

/** A version's files as stored (JSON text), or why they cannot be used. */
export function parseStoredFiles(raw: string | null): StoredVersion {
  if (raw === null) return { state: 'missing' };
  if (raw.length > MAX_STORED_CHARS)
    return { state: 'malformed', reason: `larger than ${MAX_STORED_CHARS} characters` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { state: 'malformed', reason: 'not JSON' };
  }
  const result = StoredFiles.safeParse(json);
  if (!result.success) {
    const [issue] = result.error.issues;
    return {
      state: 'malformed',
      reason: `${issue?.path.map(String).join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { state: 'stored', files: result.data };
}

/** A history line, or undefined when it is not one. */
export function parseEntry(raw: string): VersionEntry | undefined {
  try {
    const result = VersionEntry.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
