import { createHttpClient } from '../shared/axios-call.ts';
import { failed, isOutcome, passed, request, statusFailure, type CheckOutcome } from '../shared/check.ts';

/**
 * The Jira connection check: `GET /rest/api/3/myself`, the account the API token belongs to.
 * It needs no permission beyond signing in and writes nothing.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
 */

export interface JiraCheckConfig {
  readonly baseUrl: string;
  readonly email: string;
  readonly apiToken: string;
  readonly timeoutMs: number;
  /** JIRA_ACCOUNT_ID, when set: it must be this account, or our own changes are not recognised as echoes. */
  readonly accountId?: string;
}

export const JIRA_CHECK = { vendor: 'jira', urlVar: 'JIRA_URL', credentialVars: 'JIRA_EMAIL/JIRA_API_TOKEN' } as const;

export async function checkJira(config: JiraCheckConfig): Promise<CheckOutcome> {
  const http = createHttpClient({
    baseURL: config.baseUrl,
    timeoutMs: config.timeoutMs,
    auth: { username: config.email, password: config.apiToken },
  });
  const res = await request(http, JIRA_CHECK, { method: 'GET', url: '/rest/api/3/myself' });
  if (isOutcome(res)) return res;
  if (res.status === 401)
    return failed(
      'UNAUTHORIZED',
      'HTTP 401',
      'the API token in JIRA_API_TOKEN is wrong or expired, or JIRA_EMAIL is not its account: make a new token at ' +
        'id.atlassian.com',
    );
  if (res.status !== 200) return statusFailure(JIRA_CHECK, res.status);
  const me = res.data as { accountId?: unknown; displayName?: unknown } | undefined;
  if (!me || typeof me.accountId !== 'string')
    return failed('INVALID_RESPONSE', 'HTTP 200 but no accountId', 'JIRA_URL answers but is not a Jira Cloud site');
  if (config.accountId && config.accountId !== me.accountId)
    return failed(
      'ACCOUNT_MISMATCH',
      `the token belongs to account ${me.accountId}, JIRA_ACCOUNT_ID says ${config.accountId}`,
      `set JIRA_ACCOUNT_ID=${me.accountId}, or use the integration account's token`,
    );
  const name = typeof me.displayName === 'string' ? `${me.displayName} ` : '';
  return passed(`signed in as ${name}(${me.accountId})`);
}
