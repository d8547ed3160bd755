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
