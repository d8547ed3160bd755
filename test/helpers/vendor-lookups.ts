import nock from 'nock';

/**
 * The reads mim-bridge makes before its writes, answered at the HTTP boundary so that a test's
 * own interceptors can keep exact bodies for the writes themselves.
 */

/** The integration user's sys_id the ServiceNow look-up answers (any 32 hex characters). */
export const SN_USER_SYS_ID = '6816f79cc0a8016401c5a33be04be441';

/** A ServiceNow date-time as the Table API stores it, UTC: what `proposed_on` and `promoted_on` carry. */
export const SN_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The integration user's `sys_user` record, read by user name before the first write of
 * `proposed_by`/`promoted_by` (src/connectors/servicenow/outbound.ts `userSysId`). The client keeps
 * the answer for the process, so the look-up is answered once: a second read fails the test.
 */
export function snUserLookup(base: string, userName = 'mim.integration', sysId = SN_USER_SYS_ID): nock.Scope {
  return nock(base)
    .get('/api/now/table/sys_user')
    .query({ sysparm_query: `user_name=${userName}`, sysparm_fields: 'sys_id', sysparm_limit: '1' })
    .reply(200, { result: [{ sys_id: sysId }] });
}

/**
 * The read of an incident before a write that moves `major_incident_state`: only a move names who
 * and when (src/connectors/servicenow/outbound-promotion.ts). `times` reads, each answering `state`.
 */
export function snRecordRead(base: string, sysId: string, majorIncidentState = '', times = 1): nock.Scope {
  return nock(base)
    .get(`/api/now/table/incident/${sysId}`)
    .times(times)
    .reply(200, { result: { sys_id: sysId, major_incident_state: majorIncidentState } });
}

/**
 * Jira's `GET /rest/api/3/project/{key}`, which the client asks to tell a JSM service project
 * (`projectTypeKey: service_desk`) from a software one (src/connectors/jira/outbound-jsm.ts). The
 * answer is kept per process, so the look-up is optional: set it up again after `nock.cleanAll()`.
 */
export function jiraProjectLookup(base: string, projectTypeKey = 'software'): nock.Scope {
  return (
    nock(base)
      .persist()
      .get(/^\/rest\/api\/3\/project\/[A-Za-z0-9_]+$/)
      .optionally()
      // nock 15 hands a reply function the fetch Request, not the path.
      .reply(200, (req: Request) => ({ key: new URL(req.url).pathname.split('/').pop(), projectTypeKey }))
  );
}

/** sys_ids the announcement look-ups answer with (test/helpers/vendor-lookups.ts snAnnouncementCreate). */
export const SN_ANNOUNCEMENT = {
  style: 'e2e00000000000000000000000000a01',
  portal: 'e2e00000000000000000000000000b01',
  announcement: 'e2e00000000000000000000000000c01',
} as const;

/**
 * What declaring a payroll major incident writes for its announcement with the shipped
 * audiences.yaml (payroll-users: the `sp` portal, the `Urgent` style): the style and portal looked
 * up by name, none found by its marker (the major incident's id is not known yet: checked by
 * shape), one created, linked to its portal. Set up before a PATCH whose body matcher would
 * otherwise see these calls. `created` holds the announcement's POST body.
 */
export function snAnnouncementCreate(base: string, audience = 'payroll-users') {
  const created: Array<Record<string, unknown>> = [];
  const lookup = (table: string, query: string, sysId: string) =>
    nock(base)
      .get(`/api/now/table/${table}`)
      .query({ sysparm_query: query, sysparm_fields: 'sys_id', sysparm_limit: '1' })
      .reply(200, { result: [{ sys_id: sysId }] });
  const isAnnouncement = (b: unknown): b is Record<string, unknown> =>
    typeof b === 'object' && b !== null && 'name' in b && 'summary' in b;
  const marker = new RegExp(`^name=mim-MI-[A-Za-z0-9-]+\\.${audience}$`);
  const scopes = [
    lookup('announcement_style', 'name=Urgent', SN_ANNOUNCEMENT.style),
    nock(base)
      .get('/api/now/table/announcement')
      .query((q) => marker.test(String(q.sysparm_query)))
      .reply(200, { result: [] }),
    lookup('sp_portal', 'url_suffix=sp', SN_ANNOUNCEMENT.portal),
    nock(base)
      .post('/api/now/table/announcement', (b) => {
        if (isAnnouncement(b)) created.push(b);
        return isAnnouncement(b);
      })
      .reply(201, { result: { sys_id: SN_ANNOUNCEMENT.announcement } }),
    nock(base)
      .get('/api/now/table/m2m_announcement_portal')
      .query({ sysparm_query: `announcement=${SN_ANNOUNCEMENT.announcement}`, sysparm_fields: 'sys_id,sp_portal' })
      .reply(200, { result: [] }),
    nock(base)
      .post('/api/now/table/m2m_announcement_portal', {
        announcement: SN_ANNOUNCEMENT.announcement,
        sp_portal: SN_ANNOUNCEMENT.portal,
      })
      .reply(201, { result: { sys_id: 'e2e00000000000000000000000000d01' } }),
  ];
  return { scopes, created, done: () => scopes.every((s) => s.isDone()) };
}
