import { afterAll, expect, it } from 'vitest';
import { killAllChildren, startChildService } from '../helpers/child-service.ts';
import { SECRETS, eventually } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { testRedis } from '../helpers/redis.ts';

/**
 * A promise rejected with no handler anywhere in the service (a bug) used to end the process,
 * dropping every request and job in flight. Now it is logged at error, counted, and the process
 * keeps serving.
 */

const { prefix, clean } = testRedis();
afterAll(async () => {
  await killAllChildren();
  await clean();
});

it('logs and counts an unhandled rejection, and keeps serving webhooks', async () => {
  const svc = await startChildService({ MIM_REDIS_PREFIX: prefix }, 'test/helpers/reject-on-signal.ts');

  svc.child.kill('SIGUSR2');
  const line = await eventually(async () => {
    if (svc.child.exitCode !== null) throw new Error(`the process exited with ${svc.child.exitCode}:\n${svc.output()}`);
    return svc
      .output()
      .split('\n')
      .find((l) => l.includes('unhandled promise rejection'));
  }, 10_000);
  expect(JSON.parse(line)).toMatchObject({ level: 50, err: { message: 'a rejection nobody handles (test)' } });

  expect(svc.child.exitCode).toBeNull();
  expect(await (await fetch(`${svc.url}/metrics`)).text()).toMatch(/^mim_unhandled_rejections_total 1$/m);
  const body = JSON.stringify(snRecord({ sys_id: 'f00d0000000000000000000000000001' }));
  const res = await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  expect(res.status).toBe(202);
});
