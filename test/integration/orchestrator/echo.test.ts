import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ SERVICENOW_USERNAME: 'mim.integration' });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const send = async (fields: Record<string, unknown>) => {
  const body = JSON.stringify(snRecord(fields));
  expect(
    (
      await fetch(`${svc.url}/webhooks/servicenow`, {
        method: 'POST',
        body,
        headers: signedHeaders('servicenow', SECRETS.servicenow, body),
      })
    ).status,
  ).toBe(202);
};

describe('echo suppression by provenance', () => {
  it("keeps the snapshot of a change made by the integration's own user but decides nothing on it", async () => {
    await send({
      sys_id: 'ec000000000000000000000000000001',
      sys_mod_count: '1',
      sys_updated_by: 'mim.integration',
      short_description: 'written by us',
    });
    await eventually(
      async () => (await svc.snapshots.get('servicenow/ec000000000000000000000000000001'))?.title === 'written by us',
    );
    await eventually(async () => ((await svc.queue.getJobCounts('waiting', 'active')).waiting ?? 0) === 0);
    expect(await svc.majorIncidents.openFor('payroll')).toBeUndefined();
    expect(svc.logs.join('')).toContain('"result":"echo"');
  });

  it('acts on the same change made by a person', async () => {
    await send({ sys_id: 'ec000000000000000000000000000002', sys_mod_count: '1', sys_updated_by: 'fred.luddy' });
    expect(await eventually(() => svc.majorIncidents.openFor('payroll'))).toMatchObject({ state: 'declared' });
  });
});
