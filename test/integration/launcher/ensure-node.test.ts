import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The launcher under a faked old Node (MIM_NODE_FAKE_VERSION, read by the launcher only). The
 * "cached Node 24" is a script that runs this Node, so no test fetches anything from a registry;
 * the real first fetch is tried by hand (docs/operations.md#node-version).
 */
const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const cache = mkdtempSync(path.join(tmpdir(), 'mim-launcher-'));
const binDir = path.join(cache, 'mim-bridge', 'node24', 'node_modules', '.bin');
const seenPath = path.join(cache, 'child-path');
mkdirSync(binDir, { recursive: true });
writeFileSync(
  path.join(binDir, 'node'),
  [
    '#!/bin/sh',
    'if [ "$1" = --version ]; then echo v24.0.0; exit 0; fi',
    `printf %s "$PATH" > '${seenPath}'`,
    'if [ -n "$FAKE_NODE_SLEEP" ]; then exec sleep 30; fi',
    `exec '${process.execPath}' "$@"`,
    '',
  ].join('\n'),
);
chmodSync(path.join(binDir, 'node'), 0o755);
afterAll(() => rmSync(cache, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function launch(args: string[], env: Record<string, string>, onSpawn?: (child: ChildProcess) => void): Promise<Ran> {
  const child = spawn(process.execPath, ['bin/mim-bridge.js', ...args], {
    env: { ...process.env, XDG_CACHE_HOME: cache, MIM_NODE_AUTO: '', MIM_NODE_REEXEC: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  onSpawn?.(child);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('bin/mim-bridge.js on a Node older than 22.18', () => {
  it('with MIM_NODE_AUTO=0, says in one line what is needed and exits 1', async () => {
    const ran = await launch(['--version'], { MIM_NODE_FAKE_VERSION: '20.19.2', MIM_NODE_AUTO: '0' });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    const lines = ran.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('needs Node >= 22.18.0');
    expect(lines[0]).toContain('this is Node 20.19.2');
  });

  it('re-runs the command with the cached Node 24, its folder first on PATH, and says so in one line', async () => {
    const ran = await launch(['--version'], { MIM_NODE_FAKE_VERSION: '18.20.8' });
    expect(ran.code).toBe(0);
    expect(ran.stdout.trim()).toBe(version);
    const lines = ran.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Node 18.20.8 is older than the 22.18.0 it needs; running with the Node 24 in');
    expect(readFileSync(seenPath, 'utf8').split(path.delimiter)[0]).toBe(binDir);
  });

  it("exits with the re-run command's exit code", async () => {
    const ran = await launch(['no-such-command'], { MIM_NODE_FAKE_VERSION: '18.20.8' });
    expect(ran.code).toBe(2);
  });

  it('passes a SIGTERM on to the re-run command and ends by the same signal', async () => {
    let child: ChildProcess | undefined;
    rmSync(seenPath, { force: true });
    const running = launch(['--version'], { MIM_NODE_FAKE_VERSION: '18.20.8', FAKE_NODE_SLEEP: '1' }, (c) => {
      child = c;
    });
    // The launcher has started the (sleeping) child once the child has written what it saw.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        readFileSync(seenPath);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const sentAt = Date.now();
    child!.kill('SIGTERM');
    const ran = await running;
    expect(ran.signal).toBe('SIGTERM');
    expect(Date.now() - sentAt).toBeLessThan(5_000);
  });
});

describe('the service entry on an old Node', () => {
  it('stops first, with one line and exit code 2', async () => {
    const fakeOld =
      'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.19.2"}})';
    const child = spawn(process.execPath, ['--import', fakeOld, 'src/app/main.ts'], {
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('needs Node >= 22.18.0')]);
    expect(stderr).toContain('this is Node 20.19.2');
  });
});
