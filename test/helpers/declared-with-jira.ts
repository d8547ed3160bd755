import nock from 'nock';
import { expect } from 'vitest';
import { configCopy } from './config-dir.ts';
import { SECRETS, eventually, startTestService, type TestService } from './service.ts';
import { snRecord } from './servicenow-record.ts';
import { signedHeaders } from './sign.ts';
import { jiraProjectLookup, snRecordRead, snUserLookup } from './vendor-lookups.ts';

export const JIRA = 'http://jira.test';
export const SN = 'http://servicenow.test';

export interface DeclaredWithJira {
  readonly svc: TestService;
  /** A signed delivery; asserts 202 and returns the events job id. */
  post(source: 'servicenow' | 'jira', payload: unknown, extraHeaders?: Record<string, string>): Promise<string>;
}

/**
 * The service against nock'd ServiceNow and Jira, with Payroll's major incident declared from
 * ServiceNow record `sysId` and its Jira issue PAY-42 (id 10042) created: the starting point of
 * every comment-sync test. Declaring writes the origin record twice (accepted as major, the
 * declared work note); both are answered and awaited here, as are the reads before the accept (the
 * record, and the integration user's sys_id for `promoted_by`) and Jira's project lookup (PAY is a
 * software project). The declare playbook runs without its messages (a config copy): with no Slack,
 * Teams, email or portal announcement here they would never be sent, and the round's work note job
 * would wait for them.
 */
export async function startDeclaredWithJira(sysId: string, number: string): Promise<DeclaredWithJira> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const config = configCopy();
  // The messages to people: the audiences' notify, and the portal announcement (not nock'd here either).
  const messages = [
    '    - do: notify\n      audiences: all\n      template: declared\n',
    '    - do: servicenow.announce\n      template: declared\n',
  ];
  config.edit('rules.yaml', (text) =>
    messages.reduce((out, step) => {
      if (!out.includes(step)) throw new Error(`rules.yaml: the declare playbook's step moved: ${step.trim()}`);
      return out.replace(step, '');
    }, text),
  );
  const svc = await startTestService({
    MIM_CONFIG_DIR: config.dir,
    JIRA_URL: JIRA,
    JIRA_EMAIL: 'mim-bot@example.edu',
    JIRA_API_TOKEN: 'jira-token',
    JIRA_ACCOUNT_ID: 'mim-bot-account',
    SERVICENOW_URL: SN,
    SERVICENOW_USERNAME: 'mim.integration',
    SERVICENOW_PASSWORD: 'sn-password',
  });
  const post = async (
    source: 'servicenow' | 'jira',
    payload: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<string> => {
    const body = JSON.stringify(payload);
    const res = await fetch(`${svc.url}/webhooks/${source}`, {
      method: 'POST',
      body,
      headers: { ...signedHeaders(source, SECRETS[source], body), ...extraHeaders },
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  // The reads first: the PATCH interceptor would otherwise be offered them.
  const reads = [snRecordRead(SN, sysId, ''), snUserLookup(SN)];
  const declared = nock(SN)
    .patch(`/api/now/table/incident/${sysId}`)
    .times(2)
    .reply(200, { result: { sys_id: sysId, number } });
  jiraProjectLookup(JIRA);
  nock(JIRA)
    .post('/rest/api/3/search/jql')
    .reply(200, { issues: [] })
    .post('/rest/api/3/issue')
    .reply(201, { id: '10042', key: 'PAY-42', self: 'x' })
    .post('/rest/api/3/issue/PAY-42/remotelink')
    .times(2)
    .optionally()
    .reply(201, { id: 1, self: 'x' });
  await post('servicenow', snRecord({ sys_id: sysId, sys_mod_count: '1' }));
  await eventually(async () => (await svc.majorIncidents.openFor('payroll'))?.links.jira, 8_000);
  await eventually(async () => declared.isDone() && reads.every((scope) => scope.isDone()), 8_000);
  return { svc, post };
}
