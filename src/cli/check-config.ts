import { ConfigError } from '../config/files/config-error.ts';
import { loadConfig } from '../config/files/load-config.ts';

export interface CheckResult {
  readonly ok: boolean;
  readonly text: string;
  readonly json: unknown;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Loads the directory exactly as the service would, and says so in words or JSON. */
export async function checkConfig(dir: string): Promise<CheckResult> {
  try {
    const c = await loadConfig(dir);
    const summary = [
      plural(c.services.services.length, 'service'),
      plural(c.audiences.audiences.length, 'audience'),
      `${plural(c.compiled.rules.length, 'rule')}${c.compiled.disabled.length ? ` (+${c.compiled.disabled.length} disabled)` : ''}`,
      plural(c.compiled.windows.length, 'window'),
      plural(c.templateFiles.length, 'template'),
    ].join(', ');
    return {
      ok: true,
      text: `OK ${dir}: version ${c.version} (${summary}, evaluation ${c.compiled.evaluation})\n`,
      json: {
        ok: true,
        dir,
        version: c.version,
        rules: c.compiled.rules.map((r) => r.id),
        disabled: c.compiled.disabled,
        windows: c.compiled.windows.map((w) => w.id),
      },
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      ok: false,
      text: `${err.lines().join('\n')}\n${plural(err.issues.length, 'problem')} in ${dir}; this config would be rejected.\n`,
      json: { ok: false, dir, issues: err.issues },
    };
  }
}
