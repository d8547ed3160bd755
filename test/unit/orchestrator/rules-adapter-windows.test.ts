import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/files/load-config.ts';
import { rulesRuntime } from '../../../src/orchestrator/rules-adapter.ts';
import { compileCel } from '../../../src/rules/cel.ts';

let config: LoadedConfig;
beforeAll(async () => {
  config = await loadConfig('config');
});

describe('the windows a rule reads', () => {
  it('come from its compiled condition: a window read by field or by index, never text in a string', () => {
    expect(rulesRuntime(config).windowsOf('storm')).toEqual(['storm_10m']);
    const when =
      'incident.title == "window.fake" && window.storm_10m.count >= 2 && window["other_5m"].distinctCallers > 1';
    const base = config.compiled.rules[0]!;
    const rule = { ...base, id: 'probe', when, program: compileCel(when, 'bool') };
    const runtime = rulesRuntime({
      ...config,
      compiled: { ...config.compiled, rules: [...config.compiled.rules, rule] },
    });
    expect(runtime.windowsOf('probe')).toEqual(['storm_10m', 'other_5m']);
    expect(runtime.windowsOf('no-such-rule')).toEqual([]);
  });
});
