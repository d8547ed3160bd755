import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { SN_DATE_TIME, SN_USER_SYS_ID, snRecordRead, snUserLookup } from '../../helpers/vendor-lookups.ts';

/** A rule's candidate is put to the Major Incident Manager where they work: ServiceNow's workbench. */
const SN = 'http://servicenow.test';
const SYS = 'c0ffee00000000000000000000000001';
let svc: TestService;
const patches: Array<Record<string, unknown>> = [];
const lookups: nock.Scope[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // The reads before the write, set up first: the PATCH's body matcher below would otherwise see them too.
  lookups.push(snRecordRead(SN, SYS, ''), snUserLookup(SN));
  nock(SN)
    .persist()
    .patch(`/api/now/table/incident/${SYS}`, (b) => {
      patches.push(b);
      return true;
    })
    .reply(200, { result: { sys_id: SYS, number: 'INC0030001', state: '2' } });
  svc = await startTestService({
    SERVICENOW_URL: SN,
    SERVICENOW_USERNAME: 'mim.integration',
    SERVICENOW_PASSWORD: 'pw',
  });
});
afterAll(async () => {
  await stopAndClean(svc);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a candidate proposed by a rule', () => {
  it('sets major_incident_state = proposed on its ServiceNow record, with our marker, and nothing else is ' +
    'paged', async () => {
    // A P1 on tier-2 Single Sign-On: rule p1-on-tier-2 proposes.
    const body = JSON.stringify(
      snRecord({
        sys_id: SYS,
        number: 'INC0030001',
        sys_mod_count: '1',
        business_service: { value: 'x', display_value: 'Single Sign-On' },
        cmdb_ci: { value: 'y', display_value: 'idp-prod' },
      }),
    );
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body,
          headers: signedHeaders('servicenow', SECRETS.servicenow, body),
        })
      ).status,
    ).toBe(202);
    const mi = await eventually(() => svc.majorIncidents.openFor('identity'));
    expect(mi.state).toBe('candidate');
    // A deadline, not a delay: the proposal waits on the events worker, then reads sys_user and the record first.
    await eventually(async () => patches.length === 1, 20_000);
    // Proposed as ServiceNow's own Propose action does: by the integration user, now (UTC).
    expect(patches).toEqual([
      {
        major_incident_state: 'proposed',
        proposed_by: SN_USER_SYS_ID,
        proposed_on: expect.stringMatching(SN_DATE_TIME),
        correlation_id: mi.id,
        correlation_display: 'mim-bridge',
      },
    ]);
    const proposedOn = Date.parse(`${String(patches[0]!.proposed_on).replace(' ', 'T')}Z`);
    expect(Math.abs(Date.now() - proposedOn)).toBeLessThan(60_000);
    expect(lookups.every((scope) => scope.isDone())).toBe(true);
    expect(
      (await svc.majorIncidents.timeline(mi.id)).some(
        (e) => e.kind === 'action.completed' && e.detail.do === 'pagerduty.trigger',
      ),
    ).toBe(false);
  }, 40_000);
});
