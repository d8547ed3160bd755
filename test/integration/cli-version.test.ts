import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('mim-bridge --version', () => {
  it('prints the package version and exits 0', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      expect(execFileSync(process.execPath, ['bin/mim-bridge.js', flag], { encoding: 'utf8' }).trim()).toBe(version);
    }
  });
});
