import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { runCli } from './run-in-process.ts';

/** `mim-bridge drill <service>` in-process against the real service's admin API. */

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'cli-drill-viewer-token', operator: 'cli-drill-operator-token' };
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({
    MIM_ADMIN_TOKENS: [`dash:viewer:sha256:${sha(TOKENS.viewer)}`, `ops:operator:sha256:${sha(TOKENS.operator)}`].join(
      ',',
    ),
  });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const env = (token?: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  ...(token ? { MIM_ADMIN_TOKEN: token } : {}),
});
const drill = (args: string[], token?: string) => runCli(['drill', ...args, '--url', svc.url!], env(token));

describe('mim-bridge drill', () => {
  it('needs a token (exit 2 naming MIM_ADMIN_TOKEN) and a URL that is one', async () => {
    const none = await drill(['payroll']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('MIM_ADMIN_TOKEN');
    const bad = await runCli(['drill', 'payroll', '--url', 'not a url'], env(TOKENS.operator));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url not a url is not a URL');
  });

  it('says why the service refused: the token, the role, an unknown service', async () => {
    const unknown = await drill(['payrol'], 'not-a-valid-token-at-all');
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('refused the token (401)') });
    const viewer = await drill(['payroll'], TOKENS.viewer);
    expect(viewer).toMatchObject({ code: 1, stderr: expect.stringContaining('needs the operator role') });
    const service = await drill(['payrol'], TOKENS.operator);
    expect(service.code).toBe(1);
    expect(service.stderr).toBe('mim-bridge drill: service: no service "payrol" in the catalogue\n');
  });

  it('starts the drill (exit 0 with its id), then refuses a second one naming the open drill', async () => {
    const started = await drill(['payroll', '--title', 'Payroll game day'], TOKENS.operator);
    expect(started.code).toBe(0);
    const id = /^drill (MI-\S+) started for payroll: Payroll game day\n/.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    expect(await svc.majorIncidents.get(id!)).toMatchObject({ exercise: true, title: 'Payroll game day' });
    const again = await drill(['payroll', '--json'], TOKENS.operator);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: 'drill_open', openId: id });
    expect(again.stderr).toContain(`(open drill ${id})`);
  });

  it('says when the service cannot be reached (exit 1)', async () => {
    const res = await runCli(['drill', 'payroll', '--url', 'http://127.0.0.1:9'], env(TOKENS.operator));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot reach mim-bridge at http://127.0.0.1:9');
  });
});
