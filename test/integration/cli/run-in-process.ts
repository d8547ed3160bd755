import { vi } from 'vitest';
import { run } from '../../../src/cli/main.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `mim-bridge` command line in this process: `run(argv)` with stdout and stderr
 * captured and, like a child process, exactly the environment given. A child process costs a
 * Node start-up (about a second on a busy two-core machine) per call; the tests that check the
 * exit code of `bin/mim-bridge.js` itself still start one. Not for concurrent tests: stdout,
 * stderr, process.env and process.exitCode are the process's own.
 */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += text(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += text(chunk);
    return true;
  });
  const saved = process.env;
  process.env = { ...env };
  process.exitCode = undefined;
  try {
    const code = await run([process.execPath, 'bin/mim-bridge.js', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
    out.mockRestore();
    err.mockRestore();
    // A failing command sets process.exitCode; left set, it would fail the test worker.
    process.exitCode = undefined;
  }
}
