import { invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, parseBody, send, type Boundary } from '../shared/axios-call.ts';
import { assertMarker, boundedKey } from '../shared/markers.ts';
import { neutraliseCodeTags } from './outbound-journal.ts';
import { SN_CORRELATION_DISPLAY, SN_CORRELATION_ID_MAX_LENGTH, SN_SYS_ID } from './outbound-mapping.ts';
import {
  ServicenowOutboundConfig,
  SnListResult,
  SnSingleResult,
  type SnFields,
  type SnOutboundRecord,
} from './outbound-schema.ts';
import {
  SN_RECORD_FIELDS,
  SnDisplayRowList,
  SnDisplayRowSingle,
  type SnDisplayRow,
  type SnSweepPage,
} from './outbound-schema.ts';

/**
 * ServiceNow Table API client for the incident table: basic auth from injected config, every
 * value written as a string, references by sys_id. POST → 201, PATCH → 200, both `{result}`.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */

const TABLE_PATH = '/api/now/table/incident';
const USER_PATH = '/api/now/table/sys_user';
/** Enough to identify a record and tell its state; the rest of a row is not needed to dedupe. */
const FIND_FIELDS = 'sys_id,number,state,major_incident_state,correlation_id';

export interface SnCreated {
  readonly incident: SnOutboundRecord;
  readonly created: boolean;
}

export interface ServicenowClient {
  /** The marker our records carry: the major incident id, digested when longer than the column. */
  correlationIdFor(incidentId: string): string;
  findByCorrelationId(correlationId: string, meta: CallMeta): Promise<SnOutboundRecord | undefined>;
  /**
   * Find-then-create on `correlation_id = correlationIdFor(meta.incidentId)`: this method, not the
   * caller, checks the marker, so a retry after a lost 201 returns the record the first try made.
   */
  createIncident(fields: SnFields, meta: CallMeta): Promise<SnCreated>;
  updateIncident(sysId: string, patch: SnFields, meta: CallMeta): Promise<SnOutboundRecord>;
  /**
   * Journal entries are written by PATCHing the field with the new text (the Table API appends it to the journal);
   * `[code]` tags are neutralised (outbound-journal.ts).
   */
  addWorkNote(sysId: string, text: string, meta: CallMeta): Promise<void>;
  addComment(sysId: string, text: string, meta: CallMeta): Promise<void>;
  getIncident(sysId: string, meta: CallMeta): Promise<SnOutboundRecord>;
  /** Reconciliation sweep: incidents updated at or after `page.since`, oldest first, with display values. */
  listUpdatedSince(page: SnSweepPage, meta: CallMeta): Promise<SnDisplayRow[]>;
  /** One incident in the sweep's shape (display values, the business rule's columns). */
  getIncidentRow(sysId: string, meta: CallMeta): Promise<SnDisplayRow>;
  /**
   * The integration user's own `sys_user` sys_id (by its user name), for the reference columns that
   * name who did something (`proposed_by`, `promoted_by`). Read once, then kept.
   */
  userSysId(meta: CallMeta): Promise<string>;
}

function recordPath(sysId: string): string {
  if (!SN_SYS_ID.test(sysId)) throw invalidInput('servicenow', 'sys_id must be 32 lower-case hex characters');
  return `${TABLE_PATH}/${sysId}`;
}

const SN_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * `gs.dateGenerate(date, time)` is the form the Table API's own REST API Explorer writes for a
 * date-time comparison in an encoded query; the secondary order on sys_id keeps equal times in
 * a stable order between pages.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */
function updatedSinceQuery(since: string): string {
  const m = SN_DATE_TIME.exec(since);
  if (!m) throw invalidInput('servicenow', 'since must be YYYY-MM-DD HH:mm:ss (UTC)');
  return `sys_updated_on>=javascript:gs.dateGenerate('${m[1]}','${m[2]}')^ORDERBYsys_updated_on^ORDERBYsys_id`;
}

/** Display values beside the stored ones, no reference links: names for the catalogue, sys_ids for us. */
const ROW_PARAMS = {
  sysparm_display_value: 'all',
  sysparm_exclude_reference_link: 'true',
  sysparm_fields: SN_RECORD_FIELDS.join(','),
} as const;

export function createServicenowClient(rawConfig: ServicenowOutboundConfig, deps: ConnectorDeps): ServicenowClient {
  const config = ServicenowOutboundConfig.parse(rawConfig);
  const http = createHttpClient({
    baseURL: config.baseUrl,
    timeoutMs: config.timeoutMs,
    auth: { username: config.username, password: config.password },
    headers: { 'Content-Type': 'application/json' },
  });
  const boundary: Boundary = { vendor: 'servicenow', now: deps.now ?? Date.now };
  const call = instrumentFor(deps, 'servicenow');

  const correlationIdFor = (incidentId: string) =>
    boundedKey(assertMarker('servicenow', incidentId), SN_CORRELATION_ID_MAX_LENGTH);

  async function find(correlationId: string): Promise<SnOutboundRecord | undefined> {
    assertMarker('servicenow', correlationId);
    const res = await send(http, boundary, {
      method: 'GET',
      url: TABLE_PATH,
      params: { sysparm_query: `correlation_id=${correlationId}`, sysparm_limit: '1', sysparm_fields: FIND_FIELDS },
    });
    return parseBody('servicenow', SnListResult, res.data, res.status).result[0];
  }

  let ownSysId: string | undefined;
  async function lookUpSelf(): Promise<string> {
    // `^` would start another term of the encoded query: such a user name cannot be looked up safely.
    if (config.username.includes('^')) throw invalidInput('servicenow', 'SERVICENOW_USERNAME must not contain ^');
    const res = await send(http, boundary, {
      method: 'GET',
      url: USER_PATH,
      params: { sysparm_query: `user_name=${config.username}`, sysparm_fields: 'sys_id', sysparm_limit: '1' },
    });
    const found = parseBody('servicenow', SnListResult, res.data, res.status).result[0]?.sys_id;
    if (!found || !SN_SYS_ID.test(found))
      throw invalidInput('servicenow', 'no sys_user record with the user name SERVICENOW_USERNAME (or no read access)');
    ownSysId = found;
    return found;
  }

  async function patch(sysId: string, fields: SnFields): Promise<SnOutboundRecord> {
    const res = await send(http, boundary, { method: 'PATCH', url: recordPath(sysId), data: fields });
    return parseBody('servicenow', SnSingleResult, res.data, res.status).result;
  }

  return {
    correlationIdFor,
    findByCorrelationId: (correlationId, meta) => call('findByCorrelationId', meta, () => find(correlationId)),
    createIncident: (fields, meta) =>
      call('createIncident', meta, async (log) => {
        const correlationId = correlationIdFor(meta.incidentId);
        const existing = await find(correlationId);
        if (existing) {
          log.info({ sysId: existing.sys_id }, 'incident with our correlation_id exists; not creating another');
          return { incident: existing, created: false };
        }
        // Our marker last, so a caller's field map can never overwrite it.
        const data = { ...fields, correlation_id: correlationId, correlation_display: SN_CORRELATION_DISPLAY };
        const res = await send(http, boundary, { method: 'POST', url: TABLE_PATH, data });
        return { incident: parseBody('servicenow', SnSingleResult, res.data, res.status).result, created: true };
      }),
    updateIncident: (sysId, fields, meta) => call('updateIncident', meta, () => patch(sysId, fields)),
    addWorkNote: (sysId, text, meta) =>
      call('addWorkNote', meta, async () => void (await patch(sysId, { work_notes: neutraliseCodeTags(text) }))),
    addComment: (sysId, text, meta) =>
      call('addComment', meta, async () => void (await patch(sysId, { comments: neutraliseCodeTags(text) }))),
    getIncident: (sysId, meta) =>
      call('getIncident', meta, async () => {
        const res = await send(http, boundary, { method: 'GET', url: recordPath(sysId) });
        return parseBody('servicenow', SnSingleResult, res.data, res.status).result;
      }),
    listUpdatedSince: (page, meta) =>
      call('listUpdatedSince', meta, async () => {
        const params = {
          sysparm_query: updatedSinceQuery(page.since),
          ...ROW_PARAMS,
          sysparm_limit: String(page.limit),
          sysparm_offset: String(page.offset),
          sysparm_no_count: 'true',
        };
        const res = await send(http, boundary, { method: 'GET', url: TABLE_PATH, params });
        return parseBody('servicenow', SnDisplayRowList, res.data, res.status).result;
      }),
    userSysId: (meta) => (ownSysId ? Promise.resolve(ownSysId) : call('userSysId', meta, lookUpSelf)),
    getIncidentRow: (sysId, meta) =>
      call('getIncidentRow', meta, async () => {
        const res = await send(http, boundary, { method: 'GET', url: recordPath(sysId), params: ROW_PARAMS });
        return parseBody('servicenow', SnDisplayRowSingle, res.data, res.status).result;
      }),
  };
}
