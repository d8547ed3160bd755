import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { readFileSync } from 'node:fs';
import { type DeclaredWithJira, JIRA, SN, startDeclaredWithJira } from '../../helpers/declared-with-jira.ts';
import { eventually, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';

const SYS_ID = 'c0000000000000000000000000000001';
const doc = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});
let svc: TestService;
let post: DeclaredWithJira['post'];
let miId = '';

// Payroll's major incident declared from ServiceNow record SYS_ID, with its Jira issue PAY-42.
beforeAll(async () => {
  ({ svc, post } = await startDeclaredWithJira(SYS_ID, 'INC0010042'));
  miId = (await svc.majorIncidents.openFor('payroll'))!.id;
});
afterAll(async () => {
  await stopAndClean(svc);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('comment sync between ServiceNow and Jira', () => {
  it('a public ServiceNow comment becomes a public Jira comment, attributed', async () => {
    const scope = nock(JIRA)
      .post('/rest/api/3/issue/PAY-42/comment', {
        body: doc('[ServiceNow INC0010042, fred.luddy] Users report the portal is back for some'),
        properties: [{ key: 'mim-bridge', value: { majorIncidentId: miId } }],
      })
      .reply(201, { id: '1', self: 'x' });
    await post(
      'servicenow',
      wrapped(
        snRecord({
          sys_id: SYS_ID,
          sys_mod_count: '2',
          sys_updated_on: '2026-11-20 09:06:00',
          comments: 'Users report the portal is back for some',
        }),
        'comment',
        ['comments'],
      ),
    );
    await eventually(async () => scope.isDone(), 8_000);
  });

  it('an internal Jira comment becomes a ServiceNow work note, never a public comment', async () => {
    const scope = nock(SN)
      .patch(`/api/now/table/incident/${SYS_ID}`, {
        work_notes: '[Jira PAY-42, Test User] Failing over the payroll DB now',
      })
      .reply(200, { result: { sys_id: SYS_ID } });
    const sample = JSON.parse(readFileSync('test/fixtures/jira/comment_created.cloud.json', 'utf8'));
    sample.issue.id = '10042';
    sample.issue.key = 'PAY-42';
    sample.comment.body = 'Failing over the payroll DB now';
    sample.comment.jsdPublic = false;
    await post('jira', sample, { 'x-atlassian-webhook-identifier': 'jira-comment-1' });
    await eventually(async () => scope.isDone(), 8_000);
  });

  it('our own comment coming back from Jira is not synced again', async () => {
    const sample = JSON.parse(readFileSync('test/fixtures/jira/comment_created.cloud.json', 'utf8'));
    sample.issue.id = '10042';
    sample.issue.key = 'PAY-42';
    sample.comment.author.accountId = 'mim-bot-account';
    sample.comment.updateAuthor.accountId = 'mim-bot-account';
    sample.comment.id = '20001';
    sample.comment.body = '[ServiceNow INC0010042, fred.luddy] echo';
    await post('jira', sample, { 'x-atlassian-webhook-identifier': 'jira-comment-echo' });
    // The delivery id derives from the signed body (event, issue, comment, time), not from the header.
    const id = 'comment_created.10042.comment-20001@1550286678321';
    await eventually(
      async () => svc.logs.join('').includes(`"deliveryId":"${id}","jobId":"jira.${id}","result":"echo"`),
      5_000,
    );
    expect(nock.pendingMocks()).toEqual([]);
  });
});
