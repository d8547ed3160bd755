import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

it('closes the admin API when MIM_ADMIN_TOKEN is unset: every call 401, with a warning at start', async () => {
  for (const authorization of ['Bearer ', 'Bearer undefined', 'Bearer anything']) {
    const res = await fetch(`${svc.url}/admin/rules`, { headers: { authorization } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  }
  expect((await fetch(`${svc.url}/admin/major-incidents`, { method: 'POST' })).status).toBe(401);
  expect(svc.logs.some((l) => l.includes('neither MIM_ADMIN_TOKEN nor MIM_ADMIN_TOKENS is set'))).toBe(true);
});
