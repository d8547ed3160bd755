import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseCodeTags } from '../../src/connectors/servicenow/outbound-journal.ts';
import { createServicenowClient } from '../../src/connectors/servicenow/outbound.ts';
import { deps, META, useNock } from '../integration/connectors/helpers.ts';
import { SN, startDeclaredWithJira, type DeclaredWithJira } from '../helpers/declared-with-jira.ts';
import { eventually, stopAndClean, type TestService } from '../helpers/service.ts';

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
    for (const tag of ['[CODE]', '[Code]', '[ code ]', '[/ code]', '[ /CODE ]', '[[code]code]'])
      expect(hasCodeTag(neutraliseCodeTags(tag))).toBe(false);
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
        .patch(`/api/now/table/incident/${SYS_ID}`, { comments: neutraliseCodeTags(XSS) })
        .reply(200, { result: { sys_id: SYS_ID } })
        .patch(`/api/now/table/incident/${SYS_ID}`, {
          work_notes: `mim-bridge sent "Major incident: [${ZWSP}code]<b>x</b>[${ZWSP}/code]" to All staff`,
        })
        .reply(200, { result: { sys_id: SYS_ID } });
      await client().addComment(SYS_ID, XSS, META);
      await client().addWorkNote(SYS_ID, 'mim-bridge sent "Major incident: [code]<b>x</b>[/code]" to All staff', META);
      expect(scope.isDone()).toBe(true);
    });
  });
});

describe('a Jira comment synced into ServiceNow, through the queue', () => {
  const SYS_ID = 'c0000000000000000000000000000077';
  let svc: TestService;

  let post: DeclaredWithJira['post'];

  beforeAll(async () => {
    ({ svc, post } = await startDeclaredWithJira(SYS_ID, 'INC0010077'));
  });
  afterAll(async () => {
    await stopAndClean(svc);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('a public Jira comment carrying [code] reaches the customer-visible comments with every tag broken', async () => {
    const scope = nock(SN)
      .patch(`/api/now/table/incident/${SYS_ID}`, {
        comments:
          `[Jira PAY-42, [${ZWSP}CODE]<b>Ann</b>[${ZWSP}/CODE]] Users can log in again [${ZWSP}code]<img src=x ` +
          `onerror=alert(document.cookie)>[${ZWSP}/code]`,
      })
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
