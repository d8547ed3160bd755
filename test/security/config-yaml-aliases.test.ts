import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/files/build-config.ts';
import { ConfigError } from '../../src/config/files/config-error.ts';
import { readConfigDir } from '../../src/config/files/read-config-dir.ts';
import { fromDirFiles, mergeFiles, toDirFiles } from '../../src/config/versions/version-files.ts';

/**
 * A draft a viewer sends to `rules/simulate` is YAML: aliases nested five deep expand to 8^5
 * nodes ("billion laughs"). The yaml library refuses such a document when it is converted; that
 * refusal must be a config problem with its file (a 422), not an exception that fails the
 * sandbox's worker (a 503) or, outside it, a 500.
 */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x"]',
  ...['b', 'c', 'd'].map((n, i) => `${n}: &${n} [${Array(8).fill(`*${'abc'[i]}`).join(',')}]`),
  `e: [${Array(8).fill('*d').join(',')}]`,
].join('\n');

describe('a YAML alias bomb in a config file', () => {
  it('is a config problem naming the file, like any unreadable YAML', async () => {
    const base = fromDirFiles(await readConfigDir('config'));
    const merged = mergeFiles(base, { 'rules.yaml': BOMB });
    if (!('files' in merged)) throw new Error('the draft was refused before loading');
    let caught: unknown;
    try {
      buildConfig(toDirFiles('config', merged.files));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([
      expect.objectContaining({
        file: 'rules.yaml',
        message: expect.stringMatching(/^cannot read the YAML: .*alias/i),
      }),
    ]);
  });
});
