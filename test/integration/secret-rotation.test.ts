import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../helpers/sign.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ SERVICENOW_WEBHOOK_SECRET: 'old-webhook-secret-1, new-webhook-secret-2' });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const send = (secret: string, modCount: string) => {
  const body = JSON.stringify(snRecord({ sys_mod_count: modCount }));
  return fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', secret, body),
  });
};

describe('secret rotation', () => {
  it('accepts deliveries signed with either configured secret', async () => {
    expect((await send('old-webhook-secret-1', '11')).status).toBe(202);
    expect((await send('new-webhook-secret-2', '12')).status).toBe(202);
  });

  it('rejects a third secret', async () => {
    expect((await send('other-secret', '13')).status).toBe(401);
  });
});
