import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServicenowAnnouncements } from '../../../src/connectors/servicenow/outbound-announcement.ts';

/**
 * The announcement connector at the HTTP boundary, with the exact bodies the Table API gets:
 * find-then-create on `name`, display style and portals looked up by name and URL suffix, the
 * portal rows in m2m_announcement_portal, and the retire write.
 */
const SN = 'http://servicenow-announce.test';
const ANN = 'a0000000000000000000000000000001';
const URGENT = 'a1000000000000000000000000000002';
const SP = 'b2000000000000000000000000000001';
const ESC = 'b2000000000000000000000000000002';
const META = { incidentId: 'MI-000000001-payroll', jobId: 'job-1' };
const MARKER = 'mim-MI-000000001-payroll.payroll-users';

const client = () =>
  createServicenowAnnouncements(
    { baseUrl: SN, username: 'mim.integration', password: 'sn-password' },
    { logger: pino({ level: 'silent' }) },
  );

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

describe('ServiceNow announcements connector', () => {
  it('creates one with the resolved style, then links each named portal', async () => {
    const sn = nock(SN).matchHeader('authorization', `Basic ${btoa('mim.integration:sn-password')}`);
    sn.get('/api/now/table/announcement_style')
      .query({ sysparm_query: 'name=Urgent', sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [{ sys_id: URGENT }] });
    sn.get('/api/now/table/announcement')
      .query({ sysparm_query: `name=${MARKER}`, sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [] });
    sn.post('/api/now/table/announcement', {
      title: 'Major incident: Payroll ‹script› down (P1)',
      summary: 'We are handling a major incident: Payroll ‹script›alert(1)‹/script› & more.',
      to: '',
      display_style: URGENT,
      from: '2026-12-06 09:00:00',
      active: 'true',
      name: MARKER,
    }).reply(201, { result: { sys_id: ANN } });
    sn.get('/api/now/table/sp_portal')
      .query({ sysparm_query: 'url_suffix=esc', sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [{ sys_id: ESC }] });
    sn.get('/api/now/table/m2m_announcement_portal')
      .query({ sysparm_query: `announcement=${ANN}`, sysparm_fields: 'sys_id,sp_portal' })
      .reply(200, { result: [] });
    sn.post('/api/now/table/m2m_announcement_portal', { announcement: ANN, sp_portal: SP }).reply(201, {
      result: { sys_id: 'c0000000000000000000000000000001' },
    });
    sn.post('/api/now/table/m2m_announcement_portal', { announcement: ANN, sp_portal: ESC }).reply(201, {
      result: { sys_id: 'c0000000000000000000000000000002' },
    });

    const announcements = client();
    expect(announcements.markerFor(META.incidentId, 'payroll-users')).toBe(MARKER);
    const ref = await announcements.publish(
      MARKER,
      {
        title: 'Major incident: Payroll <script> down\n(P1)',
        summary: 'We are handling a major incident: Payroll <script>alert(1)</script> & more.',
        from: new Date('2026-12-06T09:00:00Z'),
        displayStyle: 'Urgent',
        portals: [SP, 'esc'],
      },
      META,
    );
    expect(ref).toEqual({ sysId: ANN, created: true });
  });

  it('rewrites the one an earlier attempt made, and adds only the portal rows it lacks', async () => {
    const sn = nock(SN);
    sn.get('/api/now/table/announcement')
      .query({ sysparm_query: `name=${MARKER}`, sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [{ sys_id: ANN }] });
    sn.patch(`/api/now/table/announcement/${ANN}`, {
      title: 'Update: Payroll down (P1)',
      summary: 'Update on the major incident',
      to: '',
      from: '2026-12-06 09:00:00',
      active: 'true',
    }).reply(200, { result: { sys_id: ANN } });
    sn.get('/api/now/table/m2m_announcement_portal')
      .query({ sysparm_query: `announcement=${ANN}`, sysparm_fields: 'sys_id,sp_portal' })
      .reply(200, { result: [{ sys_id: 'c0000000000000000000000000000001', sp_portal: { value: SP } }] });

    const ref = await client().publish(
      MARKER,
      {
        title: 'Update: Payroll down (P1)',
        summary: 'Update on the major incident',
        from: new Date('2026-12-06T09:00:00Z'),
        portals: [SP],
      },
      META,
    );
    expect(ref).toEqual({ sysId: ANN, created: false });
  });

  it('retires with the final text and an end date', async () => {
    nock(SN)
      .patch(`/api/now/table/announcement/${ANN}`, {
        title: 'Resolved: Payroll down (P1)',
        summary: 'Resolved: Payroll down',
        to: '2026-12-06 12:30:00',
      })
      .reply(200, { result: { sys_id: ANN } });
    await client().retire(
      ANN,
      { title: 'Resolved: Payroll down (P1)', summary: 'Resolved: Payroll down', to: new Date('2026-12-06T12:30:00Z') },
      META,
    );
  });

  it('names a display style or portal that does not exist, and never sends a name that would split the query', async () => {
    nock(SN)
      .get('/api/now/table/announcement_style')
      .query({ sysparm_query: 'name=Loud', sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [] });
    const announcements = client();
    const base = { title: 't', summary: 's', from: new Date(0), portals: [] };
    await expect(announcements.publish(MARKER, { ...base, displayStyle: 'Loud' }, META)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      detail: expect.stringContaining('no announcement_style "Loud"'),
    });
    await expect(
      announcements.publish(MARKER, { ...base, displayStyle: 'a^active=false' }, META),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
