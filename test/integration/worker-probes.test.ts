import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/** A worker process can be health-checked and scraped: its counters exist nowhere else. */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ROLE: 'worker' });
});
afterAll(async () => {
  await stopAndClean(svc);
});

describe('MIM_ROLE=worker', () => {
  it('serves /healthz and /metrics, and nothing else', async () => {
    expect(svc.url).toBeDefined();
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE mim_escalations_total counter');
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(404);
    expect((await fetch(`${svc.url}/admin/major-incidents`)).status).toBe(404);
  });
});
