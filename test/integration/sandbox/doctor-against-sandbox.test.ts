import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { runCli } from '../cli/run-in-process.ts';

/**
 * `mim-bridge doctor` against the demo's simulators: each simulator answers the harmless call the
 * check makes (ServiceNow reads one incident, Jira /myself, Slack auth.test with its scopes, the
 * SMTP sink's EHLO), so a new user can try doctor on the sandbox before any real vendor.
 */
describe('mim-bridge doctor against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('finds every connection of the sandbox working', async () => {
    const r = await runCli(['doctor', '--json'], { ...sandbox.env, PATH: process.env.PATH ?? '' });
    const { ok, connections: results } = JSON.parse(r.stdout) as {
      ok: boolean;
      connections: { vendor: string; status: string; detail: string }[];
    };
    const byVendor = Object.fromEntries(results.map((c) => [c.vendor, `${c.status}: ${c.detail}`]));
    for (const vendor of ['servicenow', 'jira', 'slack', 'email']) expect(byVendor[vendor]).toMatch(/^ok: /);
    expect(r.code, r.stderr).toBe(ok ? 0 : 1);
  });
});
