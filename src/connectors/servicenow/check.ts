import { createHttpClient } from '../shared/axios-call.ts';
import { failed, isOutcome, passed, request, statusFailure, type CheckOutcome } from '../shared/check.ts';

/**
 * The ServiceNow connection check: the Table API read of one incident's sys_id, the least the
 * integration user must be able to do (it reads incidents to dedupe and to reconcile). Nothing is
 * written.
 * https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
 */

export interface ServicenowCheckConfig {
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
}

export const SERVICENOW_CHECK = {
  vendor: 'servicenow',
  urlVar: 'SERVICENOW_URL',
  credentialVars: 'SERVICENOW_USERNAME/SERVICENOW_PASSWORD',
} as const;

export async function checkServicenow(config: ServicenowCheckConfig): Promise<CheckOutcome> {
  const http = createHttpClient({
    baseURL: config.baseUrl,
    timeoutMs: config.timeoutMs,
    auth: { username: config.username, password: config.password },
  });
  const res = await request(http, SERVICENOW_CHECK, {
    method: 'GET',
    url: '/api/now/table/incident',
    params: { sysparm_limit: 1, sysparm_fields: 'sys_id' },
  });
  if (isOutcome(res)) return res;
  if (res.status === 403)
    return failed(
      'FORBIDDEN',
      'HTTP 403 reading the incident table',
      'give the integration user the itil role (or read ACLs on incident), see docs/setup-servicenow.md',
    );
  if (res.status !== 200) return statusFailure(SERVICENOW_CHECK, res.status);
  // An instance that is asleep (developer instances) answers 200 with an HTML wake-up page.
  const body = res.data as { result?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.result))
    return failed(
      'INVALID_RESPONSE',
      'HTTP 200 but not a Table API answer',
      'SERVICENOW_URL answers but is not a ServiceNow instance, or the instance is hibernating: wake it',
    );
  return passed(`read the incident table as ${config.username}`);
}
