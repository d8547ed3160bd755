import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllChildren, startChildService } from '../../helpers/child-service.ts';
import { testRedis } from '../../helpers/redis.ts';

/**
 * The published package runs compiled JavaScript (Node does not strip types under node_modules),
 * while the repository runs its TypeScript: this file covers the compiled way. It builds into a
 * temporary package root of its own (dist/ beside package.json, bin/ and config/, as in the
 * tarball), never into the repository's dist/, since other test files run beside it.
 */
const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
const ADMIN_TOKEN = 'package-test-admin-token-0123456789';
// Every child runs the same Node as this test (the launcher would otherwise look for one).
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

let tmp: string;
let root: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mim-package-'));
  root = path.join(tmp, 'mim-bridge');
  const tsc = path.join(REPO, 'node_modules/.bin/tsc');
  await run(tsc, ['-p', 'tsconfig.build.json', '--outDir', path.join(root, 'dist')], { cwd: REPO, env });
  await run(process.execPath, ['scripts/build-assets.js', path.join(root, 'dist')], { cwd: REPO, env });
  for (const entry of ['package.json', 'README.md', 'bin', 'config']) {
    cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  }
  // The compiled files resolve their dependencies from here, as they would from an installed package.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}, 120_000);

afterAll(async () => {
  await killAllChildren();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the compiled CLI (dist/, through bin/mim-bridge.js)', () => {
  it('--version prints the package version', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/mim-bridge.js'), '--version'], { env });
    expect(stdout.trim()).toBe(version);
  });

  it('rules check accepts the shipped config, exit 0', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/mim-bridge.js'), 'rules', 'check', 'config'], {
      cwd: root,
      env,
    });
    expect(stdout).toMatch(/^OK config: version [0-9a-f]{12} /);
  });
});

describe('the compiled service (dist/app/main.js)', () => {
  it('starts against the real Redis, serves its assets, and stops on SIGTERM with exit 0', async () => {
    const { prefix, clean } = testRedis();
    try {
      const svc = await startChildService(
        { MIM_REDIS_PREFIX: prefix, MIM_CONFIG_DIR: path.join(root, 'config'), MIM_ADMIN_TOKEN: ADMIN_TOKEN },
        path.join(root, 'dist/app/main.js'),
      );
      expect(await (await fetch(`${svc.url}/healthz`)).json()).toEqual({ status: 'ok' });
      // The console's static files and the rules sandbox's worker are found beside the compiled code.
      const page = await fetch(`${svc.url}/admin/ui/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const validated = await fetch(`${svc.url}/admin/rules/validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(validated.status).toBe(200);
      expect(await validated.json()).toMatchObject({ valid: true });
      svc.child.kill('SIGTERM');
      expect(await svc.exited).toBe(0);
      expect(svc.output()).toContain('"msg":"stopped"');
    } finally {
      await clean();
    }
  }, 60_000);
});

describe("the package's files field", () => {
  it('leaves out the sources, the sandbox, tests, bench, scripts and docs', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO, env });
    const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths.filter((p) => /^(src|sandbox|test|bench|scripts|docs|node_modules)\//.test(p))).toEqual([]);
    expect(paths).toContain('bin/mim-bridge.js');
    expect(paths).toContain('config/rules.yaml');
  }, 60_000);
});
