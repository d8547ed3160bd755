import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What a user does: `npm pack` (its prepack builds dist/), then `npm install -g` of the tarball,
 * then the installed `mim-bridge`. It writes the repository's dist/ and installs the production
 * dependencies (about a minute here), so `npm test` skips it: CI runs it on its own with
 * MIM_PACKAGE_TEST=1 (`MIM_PACKAGE_TEST=1 npx vitest run test/integration/package/pack-install.test.ts`).
 */
const enabled = process.env.MIM_PACKAGE_TEST === '1';
const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
// npm and the installed command run the same Node as this test (the launcher would otherwise look for one).
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
const tmp = mkdtempSync(path.join(tmpdir(), 'mim-pack-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!enabled)('npm pack, then npm install -g of the tarball', () => {
  it('ships only dist, bin, config and the package files; the installed command works', async () => {
    const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: REPO, env });
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths.filter((p) => !/^(dist|bin|config)\/|^(package\.json|README\.md|LICENSE)$/.test(p))).toEqual([]);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('dist/store/lua/transition-4.lua');
    expect(paths).toContain('dist/http/console/static/index.html');

    const prefix = path.join(tmp, 'global');
    const install = ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund'];
    await run('npm', [...install, path.join(tmp, filename)], { env });
    const bin = path.join(prefix, 'bin/mim-bridge');
    expect((await run(bin, ['--version'], { env, cwd: tmp })).stdout.trim()).toBe(version);
    const checked = await run(bin, ['rules', 'check', path.join(REPO, 'config')], { env, cwd: tmp });
    expect(checked.stdout).toMatch(/^OK .*config: version [0-9a-f]{12} /);
    // The sandbox stays in the repository: the installed command says where the demo is.
    const demo = await run(bin, ['demo'], { env, cwd: tmp }).catch((err: { code: number; stderr: string }) => err);
    expect(demo).toMatchObject({ code: 2, stderr: expect.stringContaining('run it from a clone') });
  }, 240_000);
});
