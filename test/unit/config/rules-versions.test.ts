import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../../src/config/files/build-config.ts';
import { loadConfig } from '../../../src/config/files/load-config.ts';
import { readConfigDir } from '../../../src/config/files/read-config-dir.ts';
import { diffVersions } from '../../../src/config/versions/diff-versions.ts';
import {
  MAX_FILE_BYTES,
  fromDirFiles,
  isVersionFileName,
  mergeFiles,
  toDirFiles,
} from '../../../src/config/versions/version-files.ts';

describe('config version files', () => {
  it('accepts only the four YAML files and templates/<register>/<name>.liquid', () => {
    for (const ok of [
      'rules.yaml',
      'services.yaml',
      'audiences.yaml',
      'mappings.yaml',
      'templates/business/update.liquid',
      'templates/technical/pir-overdue.liquid',
    ])
      expect(isVersionFileName(ok), ok).toBe(true);
    for (const bad of [
      'rules.yml',
      'secrets.yaml',
      '../rules.yaml',
      'templates/other/x.liquid',
      'templates/business/../x.liquid',
      'templates/business/a/b.liquid',
      'templates/business/x.txt',
      '/etc/passwd',
      'templates/business/.liquid',
    ])
      expect(isVersionFileName(bad), bad).toBe(false);
  });

  it('lays changes over the active files, refusing unknown names, oversized files and removing a YAML file', () => {
    const base = { 'rules.yaml': 'a', 'templates/business/x.liquid': 'x' };
    expect(
      mergeFiles(base, { 'rules.yaml': 'b', 'templates/business/x.liquid': null, 'templates/technical/y.liquid': 'y' }),
    ).toEqual({ files: { 'rules.yaml': 'b', 'templates/technical/y.liquid': 'y' } });
    const refused = mergeFiles(base, {
      'evil.sh': 'x',
      'rules.yaml': null,
      'services.yaml': 'x'.repeat(MAX_FILE_BYTES + 1),
    });
    expect('problems' in refused && refused.problems.map((p) => p.file)).toEqual([
      'evil.sh',
      'rules.yaml',
      'services.yaml',
    ]);
  });

  it('gives the loader the same bytes from memory as from the directory: the same version', async () => {
    const files = fromDirFiles(await readConfigDir('config'));
    expect(Object.keys(files)).toContain('templates/business/update.liquid');
    expect(buildConfig(toDirFiles('config', files)).version).toBe((await loadConfig('config')).version);
  });

  it('diffs two versions file by file, leaving unchanged files out', () => {
    const diff = diffVersions(
      {
        id: 'aaaaaaaaaaaa',
        files: { 'rules.yaml': 'one\ntwo\n', 'services.yaml': 's\n', 'templates/business/x.liquid': 'x\n' },
      },
      {
        id: 'bbbbbbbbbbbb',
        files: { 'rules.yaml': 'one\nthree\n', 'services.yaml': 's\n', 'templates/technical/y.liquid': 'y\n' },
      },
    );
    expect(diff.map((d) => [d.file, d.status])).toEqual([
      ['rules.yaml', 'changed'],
      ['templates/business/x.liquid', 'removed'],
      ['templates/technical/y.liquid', 'added'],
    ]);
    expect(diff[0]!.patch).toContain('--- a/rules.yaml\taaaaaaaaaaaa');
    expect(diff[0]!.patch).toMatch(/\n-two\n\+three\n/);
  });
});
