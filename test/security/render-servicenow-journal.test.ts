import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseCodeTags } from '../../src/connectors/servicenow/outbound-journal.ts';
import { createServicenowClient } from '../../src/connectors/servicenow/outbound.ts';
import { deps, META, useNock } from '../integration/connectors/helpers.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * ServiceNow journals render `[code]…[/code]` as HTML. Jira comments were copied into the
 * customer-visible `comments` unchanged, so `[code]<img src=x onerror=…>[/code]` typed in Jira ran
 * in the browser of whoever read the ServiceNow record. No tag may reach a journal intact.
 */

const XSS = '[code]<img src=x onerror=alert(document.cookie)>[/code]';
const ZWSP = '\u200B';
/** What ServiceNow would render as HTML: an opening tag in any case or spacing. */
const hasCodeTag = (text: string) => /\[\s*\/?\s*code\s*\]/i.test(text);

describe('journal text', () => {
  it('breaks [code] and [/code] in any case and spacing, and shows the rest as typed', () => {
    expect(neutraliseCodeTags(XSS)).toBe(`[${ZWSP}code]<img src=x onerror=alert(document.cookie)>[${ZWSP}/code]`);
    for (const tag of ['[CODE]', '[Code]', '[ code ]', '[/ code]', '[ /CODE ]', '[[code]code]']) expect(hasCodeTag(neutraliseCodeTags(tag))).toBe(false);
    expect(neutraliseCodeTags('[codes] [decode] [code-review]')).toBe('[codes] [decode] [code-review]');
  });

  it('is idempotent', () => {
    expect(neutraliseCodeTags(neutraliseCodeTags(XSS))).toBe(neutraliseCodeTags(XSS));
  });

  describe('the ServiceNow client', () => {
    useNock();
    const SN = 'http://servicenow.test';
    const SYS_ID = 'a0000000000000000000000000000001';
    const client = () => createServicenowClient({ baseUrl: SN, username: 'u', password: 'p', timeoutMs: 500 }, deps());

    it('neutralises both journal fields, whoever calls it', async () => {
      const scope = nock(SN)
        .patch(`/api/now/table/incident/${SYS_ID}`, { comments: neutraliseCodeTags(XSS) }).reply(200, { result: { sys_id: SYS_ID } })
        .patch(`/api/now/table/incident/${SYS_ID}`, { work_notes: `mim-bridge sent "Major incident: [${ZWSP}code]<b>x</b>[${ZWSP}/code]" to All staff` }).reply(200, { result: { sys_id: SYS_ID } });
      await client().addComment(SYS_ID, XSS, META);
      await client().addWorkNote(SYS_ID, 'mim-bridge sent "Major incident: [code]<b>x</b>[/code]" to All staff', META);
      expect(scope.isDone()).toBe(true);
    });
  });
});

describe('a Jira comment synced into ServiceNow, through the queue', () => {
  const JIRA = 'http://jira.test';
  const SN = 'http://servicenow.test';
  const SYS_ID = 'c0000000000000000000000000000077';
  let svc: TestService;

  const post = async (source: 'servicenow' | 'jira', payload: unknown, extra: Record<string, string> = {}) => {
    const body = JSON.stringify(payload);
    const res = await fetch(`${svc.url}/webhooks/${source}`, { method: 'POST', body, headers: { ...signedHeaders(source, SECRETS[source], body), ...extra } });
    expect(res.status).toBe(202);
  };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    svc = await startTestService({
      JIRA_URL: JIRA, JIRA_EMAIL: 'mim-bot@example.edu', JIRA_API_TOKEN: 'jira-token', JIRA_ACCOUNT_ID: 'mim-bot-account',
      SERVICENOW_URL: SN, SERVICENOW_USERNAME: 'mim.integration', SERVICENOW_PASSWORD: 'sn-password',
    });
    // Declared: accepted as major and the declared work note on the origin record; the Jira issue PAY-42.
    const declared = nock(SN).patch(`/api/now/table/incident/${SYS_ID}`).times(2).reply(200, { result: { sys_id: SYS_ID, number: 'INC0010077' } });
    nock(JIRA).post('/rest/api/3/search/jql').reply(200, { issues: [] }).post('/rest/api/3/issue').reply(201, { id: '10042', key: 'PAY-42', self: 'x' })
      .post('/rest/api/3/issue/PAY-42/remotelink').times(2).optionally().reply(201, { id: 1, self: 'x' });
    await post('servicenow', snRecord({ sys_id: SYS_ID, sys_mod_count: '1' }));
    await eventually(async () => (await svc.majorIncidents.openFor('payroll'))?.links.jira, 8_000);
    await eventually(async () => declared.isDone(), 8_000);
  });
  afterAll(async () => { await stopAndClean(svc); nock.cleanAll(); nock.enableNetConnect(); });

  it('a public Jira comment carrying [code] reaches the customer-visible comments with every tag broken', async () => {
    const scope = nock(SN)
      .patch(`/api/now/table/incident/${SYS_ID}`, { comments: `[Jira PAY-42, [${ZWSP}CODE]<b>Ann</b>[${ZWSP}/CODE]] Users can log in again [${ZWSP}code]<img src=x onerror=alert(document.cookie)>[${ZWSP}/code]` })
      .reply(200, { result: { sys_id: SYS_ID } });
    const sample = JSON.parse(readFileSync('test/fixtures/jira/comment_created.cloud.json', 'utf8'));
    sample.issue.id = '10042';
    sample.issue.key = 'PAY-42';
    sample.comment.id = '30001';
    sample.comment.body = `Users can log in again ${XSS}`;
    sample.comment.jsdPublic = true;
    sample.comment.author.displayName = '[CODE]<b>Ann</b>[/CODE]';
    await post('jira', sample, { 'x-atlassian-webhook-identifier': 'jira-comment-xss' });
    await eventually(async () => scope.isDone(), 8_000);
  });
});
