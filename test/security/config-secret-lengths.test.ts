import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/config/env.ts';

/**
 * Webhook secrets and the plain admin token are chosen by the operator; a short one can be
 * guessed (a webhook secret offline from one signed delivery). Start-up refuses any shorter than
 * 16 characters, naming the variable and never echoing the value.
 */

const SHORT = 'sekrit-15-chars';
const LONG_ENOUGH = 'sixteen-chars-ok';

function refusal(env: Record<string, string>): EnvError {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('environment unexpectedly valid');
}

describe('secret lengths at start-up', () => {
  it.each(['SERVICENOW_WEBHOOK_SECRET', 'JIRA_WEBHOOK_SECRET', 'PAGERDUTY_WEBHOOK_SECRET', 'MIM_ADMIN_TOKEN'])(
    'refuses a %s shorter than 16 characters, naming it and not its value',
    (name) => {
      expect(SHORT).toHaveLength(15);
      const err = refusal({ [name]: SHORT });
      expect(err.code).toBe('ENV_INVALID');
      expect(err.variables).toEqual([name]);
      expect(err.message).toContain(`${name}: `);
      expect(err.message).toMatch(/at least 16 characters/);
      expect(err.message).not.toContain(SHORT);
    },
  );

  it('accepts 16 characters', () => {
    expect(LONG_ENOUGH).toHaveLength(16);
    const env = parseEnv({ SERVICENOW_WEBHOOK_SECRET: LONG_ENOUGH, MIM_ADMIN_TOKEN: LONG_ENOUGH });
    expect(env.SERVICENOW_WEBHOOK_SECRET).toEqual([LONG_ENOUGH]);
    expect(env.MIM_ADMIN_TOKEN).toBe(LONG_ENOUGH);
  });

  it('checks each value of a rotation, in one line for the variable', () => {
    const err = refusal({ JIRA_WEBHOOK_SECRET: `${LONG_ENOUGH}-old,short` });
    expect(err.variables).toEqual(['JIRA_WEBHOOK_SECRET']);
    expect(err.message).not.toContain('short,');
    const both = refusal({ JIRA_WEBHOOK_SECRET: 'short-a,short-b' });
    expect(both.message.split('\n').filter((l) => l.includes('JIRA_WEBHOOK_SECRET'))).toHaveLength(1);
  });

  it('checks the hash format of MIM_ADMIN_TOKENS (the tokens themselves are not configured)', () => {
    const hash = createHash('sha256').update('whatever').digest('hex');
    expect(parseEnv({ MIM_ADMIN_TOKENS: `ops:operator:sha256:${hash}` }).MIM_ADMIN_TOKENS).toHaveLength(1);
    expect(refusal({ MIM_ADMIN_TOKENS: `ops:operator:sha256:${hash.slice(0, 32)}` }).variables).toEqual([
      'MIM_ADMIN_TOKENS',
    ]);
    expect(refusal({ MIM_ADMIN_TOKENS: 'ops:operator:plain-token-value' }).message).not.toContain('plain-token-value');
  });

  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('stops the real process with exit code 2 and one message naming the variable', async () => {
    // Were it to start, it would reach no Redis and listen on no fixed port.
    child = spawn(process.execPath, ['src/app/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://127.0.0.1:1',
        PAGERDUTY_WEBHOOK_SECRET: SHORT,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
    });
    const exiting = child;
    const code = await new Promise<number | null>((resolve) => exiting.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^mim-bridge: Invalid environment:\n {2}PAGERDUTY_WEBHOOK_SECRET: .*at least 16 characters/);
    expect(stderr).not.toContain(SHORT);
  });
});
