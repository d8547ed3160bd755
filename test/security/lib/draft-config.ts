import { readFileSync } from 'node:fs';
import { buildConfig } from '../../../src/config/files/build-config.ts';
import { readConfigDir } from '../../../src/config/files/read-config-dir.ts';
import { fromDirFiles, toDirFiles } from '../../../src/config/versions/version-files.ts';

/** The shipped rules.yaml with `rule` (YAML list-item lines) put first, as an admin would draft it. */
export const shippedRulesWith = (rule: string): string =>
  readFileSync('config/rules.yaml', 'utf8').replace('rules:\n', `rules:\n${rule}`);

/**
 * What loading the shipped config with `rules.yaml` replaced throws (undefined when it loads), as the loader and the
 * API do.
 */
export async function loadErrorWith(rulesYaml: string): Promise<unknown> {
  const files = fromDirFiles(await readConfigDir('config'));
  try {
    buildConfig(toDirFiles('config', { ...files, 'rules.yaml': rulesYaml }));
    return undefined;
  } catch (err) {
    return err;
  }
}
