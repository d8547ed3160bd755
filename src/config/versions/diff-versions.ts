import { createTwoFilesPatch } from 'diff';
import type { VersionFiles } from './version-files.ts';

export interface FileDiff {
  readonly file: string;
  readonly status: 'added' | 'removed' | 'changed';
  /** A unified diff (`--- a/<file>`, `+++ b/<file>`, hunks with 3 lines of context). */
  readonly patch: string;
}

/** What changes from `from` to `to`, file by file, sorted by name; unchanged files are left out. */
export function diffVersions(
  from: { id: string; files: VersionFiles },
  to: { id: string; files: VersionFiles },
): FileDiff[] {
  const names = [...new Set([...Object.keys(from.files), ...Object.keys(to.files)])].sort();
  return names.flatMap((file): FileDiff[] => {
    const before = from.files[file];
    const after = to.files[file];
    if (before === after) return [];
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, before ?? '', after ?? '', from.id, to.id);
    return [{ file, status, patch }];
  });
}
