import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  decide,
  NEEDED_NODE,
  nodeCacheDir,
  parseVersion,
  REEXEC_VAR,
  rerunEnv,
} from '../../../bin/node-decision.js';

const cacheDir = '/home/u/.cache/mim-bridge/node24';

describe('node versions', () => {
  it('parses with or without the v, and refuses what is not a version', () => {
    expect(parseVersion('v20.19.2')).toEqual([20, 19, 2]);
    expect(parseVersion('22.18.0')).toEqual([22, 18, 0]);
    expect(parseVersion('24.0.0-nightly2025')).toEqual([24, 0, 0]);
    expect(parseVersion('twenty')).toBeUndefined();
  });

  it('compares major, then minor, then patch, numerically', () => {
    expect(atLeast('22.18.0', '22.18.0')).toBe(true);
    expect(atLeast('22.9.0', '22.18.0')).toBe(false);
    expect(atLeast('22.18.1', '22.18.0')).toBe(true);
    expect(atLeast('23.0.0', '22.18.0')).toBe(true);
    expect(atLeast('18.20.8', '22.18.0')).toBe(false);
    expect(atLeast('nonsense', '22.18.0')).toBe(false);
  });

  it('needs what package.json engines says', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${NEEDED_NODE}`);
  });

  it('needs what the service preflight checks', () => {
    expect(readFileSync('src/app/preflight.ts', 'utf8')).toContain(`'${NEEDED_NODE}'`);
  });
});

describe('the cache folder', () => {
  it('is under XDG_CACHE_HOME when set, else ~/.cache', () => {
    expect(nodeCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe(path.join('/xdg', 'mim-bridge', 'node24'));
    expect(nodeCacheDir({}, '/home/u')).toBe(cacheDir);
    expect(nodeCacheDir({ XDG_CACHE_HOME: '' }, '/home/u')).toBe(cacheDir);
    // The XDG spec ignores a relative path; so do we, rather than caching under the working folder.
    expect(nodeCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe(cacheDir);
  });
});

describe('the decision', () => {
  it('runs a new enough Node as it is', () => {
    for (const running of ['22.18.0', '24.1.0']) {
      expect(decide({ running, env: {}, cacheDir, cached: false })).toEqual({ kind: 'run' });
    }
  });

  it('fetches Node 24 once for an old Node, naming both versions, the folder and the opt-out', () => {
    const decision = decide({ running: '20.19.2', env: {}, cacheDir, cached: false });
    expect(decision).toMatchObject({ kind: 'rerun', fetch: true });
    const { message } = decision as { message: string };
    for (const part of ['20.19.2', '22.18.0', 'npm registry', cacheDir, 'MIM_NODE_AUTO=0']) {
      expect(message).toContain(part);
    }
    expect(message).not.toContain('\n');
  });

  it('re-runs with the cached Node without fetching it again', () => {
    const decision = decide({ running: '18.20.8', env: {}, cacheDir, cached: true });
    expect(decision).toMatchObject({ kind: 'rerun', fetch: false });
  });

  it('refuses with one line naming what is needed when opted out', () => {
    for (const value of ['0', 'false', 'off', 'NO']) {
      const decision = decide({ running: '20.19.2', env: { MIM_NODE_AUTO: value }, cacheDir, cached: true });
      expect(decision.kind).toBe('refuse');
      const { message } = decision as { message: string };
      expect(message).toContain('22.18.0');
      expect(message).toContain('20.19.2');
      expect(message).not.toContain('\n');
    }
    expect(decide({ running: '20.19.2', env: { MIM_NODE_AUTO: '1' }, cacheDir, cached: true }).kind).toBe('rerun');
  });

  it('refuses instead of looping when the re-run Node is still too old', () => {
    const decision = decide({ running: '20.19.2', env: { [REEXEC_VAR]: '1' }, cacheDir, cached: true });
    expect(decision.kind).toBe('refuse');
  });
});

describe('the re-run environment', () => {
  it('puts the cached bin folder first on PATH and points npm at the new node', () => {
    const env = rerunEnv(
      { PATH: '/usr/bin', npm_node_execpath: '/usr/bin/node', MIM_NODE_FAKE_VERSION: '18.0.0' },
      '/c/bin',
      '/c/bin/node',
    );
    expect(env.PATH).toBe(['/c/bin', '/usr/bin'].join(path.delimiter));
    expect(env.npm_node_execpath).toBe('/c/bin/node');
    expect(env[REEXEC_VAR]).toBe('1');
    expect(env.MIM_NODE_FAKE_VERSION).toBeUndefined();
    expect(env.NODE).toBeUndefined();
  });
});
