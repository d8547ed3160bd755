import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snRecord } from '../helpers/servicenow-record.ts';
import { SECRETS, eventually, type TestService } from '../helpers/service.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { jiraProjectLookup, snAnnouncementCreate, snRecordRead, snUserLookup } from '../helpers/vendor-lookups.ts';

/**
 * One hostile ServiceNow title, declared as a major incident, through the queues to every target
 * the declare playbook writes to. Each outbound body is asserted exactly: the title shows as typed
 * everywhere and forms no link, mention, HTML or extra line.
 */

import { JIRA, PD, SLACK, SN, startWithEveryVendor, TEAMS } from '../helpers/every-vendor.ts';
const SYS_ID = 'e2e000000000000000000000000000ff';
const ZWSP = '\u200B';
const TITLE =
  '[Reset your password](https://evil.example/reset) <!channel> [code]<img src=x onerror=alert(1)>[/code]\nBcc: x';

let svc: TestService;
let stop: () => Promise<void>;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // The round's email messages go out too, so the round's one work note (which names each message) is written.
  ({ svc, stop } = await startWithEveryVendor());
});
afterAll(async () => {
  await stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a hostile ServiceNow title through the declare playbook', () => {
  it('reaches Slack, Teams, Jira, PagerDuty and the ServiceNow work note as text', async () => {
    const slackPosts: Array<Record<string, unknown>> = [];
    const cards: Array<Record<string, unknown>> = [];
    const pages: Array<{ payload: { summary: string } }> = [];
    const patches: Array<Record<string, unknown>> = [];
    let issue: { fields: { summary: string } } | undefined;
    // PAY is a software project.
    jiraProjectLookup(JIRA);
    nock(JIRA)
      .post('/rest/api/3/search/jql')
      .reply(200, { issues: [], isLast: true })
      .post('/rest/api/3/issue', (b) => {
        issue = b;
        return true;
      })
      .reply(201, { id: '10042', key: 'PAY-42', self: 'x' })
      .post('/rest/api/3/issue/PAY-42/remotelink')
      .times(2)
      .optionally()
      .reply(201, { id: 1, self: 'x' });
    nock(SLACK)
      .post('/api/chat.postMessage', (b) => {
        slackPosts.push(b);
        return true;
      })
      .times(3)
      .reply(200, { ok: true, channel: 'C0PAYROLL', ts: '1763800000.000100' });
    nock(PD)
      .post('/v2/enqueue', (b) => {
        pages.push(b);
        return true;
      })
      .reply(202, { status: 'success', dedup_key: 'x' });
    nock(TEAMS)
      .post('/workflows/finance', (b) => {
        cards.push(b);
        return true;
      })
      .reply(202, '');
    // Accepting reads the record and the integration user's sys_id first (set up before the PATCH's body matcher).
    const reads = [snRecordRead(SN, SYS_ID, ''), snUserLookup(SN)];
    // The payroll-users Service Portal announcement (audiences.yaml), which may be rendered as HTML.
    const announcement = snAnnouncementCreate(SN);
    // Accepted as major, the declared work note, and the round's one note naming each message.
    nock(SN)
      .patch(`/api/now/table/incident/${SYS_ID}`, (b) => {
        patches.push(b);
        return true;
      })
      .times(3)
      .reply(200, { result: { sys_id: SYS_ID, number: 'INC0010099', state: '2', major_incident_state: 'accepted' } });

    const body = JSON.stringify(
      snRecord({ sys_id: SYS_ID, number: 'INC0010099', sys_mod_count: '1', short_description: TITLE }),
    );
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body,
          headers: signedHeaders('servicenow', SECRETS.servicenow, body),
        })
      ).status,
    ).toBe(202);
    const mi = await eventually(() => svc.majorIncidents.openFor('payroll'));
    await eventually(
      async () =>
        slackPosts.length === 3 &&
        cards.length === 1 &&
        pages.length === 1 &&
        issue &&
        patches.filter((p) => 'work_notes' in p).length === 2,
      10_000,
    );
    expect(reads.every((scope) => scope.isDone())).toBe(true);

    const started = `${mi.declaredAt!.slice(0, 10)} ${mi.declaredAt!.slice(11, 16)} UTC`;
    const { commsLead, majorIncidentManager, resolverGroup, serviceOwner } = mi.roles;

    // Slack: the header is plain_text (nothing is parsed); the rest is mrkdwn with the title escaped.
    const slackTitle =
      '[Reset your password](https://evil.example/reset) &lt;!channel&gt; [code]&lt;img src=x ' +
      'onerror=alert(1)&gt;[/code]';
    const slackBody = [
      `We are handling a major incident: ${slackTitle}`,
      'Bcc: x.',
      '',
      'We are assessing what is affected.',
      'Services: Payroll',
      `Started: ${started}`,
      '',
      'The technical teams are working on it. We will send regular updates.',
      `Questions about this incident: ${commsLead}`,
    ].join('\n');
    expect(slackPosts.find((p) => p.channel === '#payroll-status')).toEqual({
      channel: '#payroll-status',
      text: `Major incident: ${slackTitle} Bcc: x (P1)\n${slackBody}`,
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text:
              'Major incident: [Reset your password](https://evil.example/reset) <!channel> [code]<img src=x ' +
              'onerror=alert(1)>[/code] Bcc: x (P1)',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: slackBody, verbatim: true } },
      ],
      metadata: { event_type: 'mim_bridge_status', event_payload: { major_incident_id: mi.id } },
    });

    // Teams: every Markdown character of the title escaped, in the title block and in the body.
    const teamsTitle =
      '\\[Reset your password\\]\\(https://evil.example/reset\\) \\<!channel\\> \\[code\\]\\<img src=x ' +
      'onerror=alert\\(1\\)\\>\\[/code\\]';
    expect(cards).toEqual([
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              version: '1.4',
              body: [
                {
                  type: 'TextBlock',
                  text: `Major incident: ${teamsTitle} Bcc: x \\(P1\\)`,
                  weight: 'Bolder',
                  size: 'Medium',
                  wrap: true,
                },
                { type: 'TextBlock', text: `We are handling a major incident: ${teamsTitle}\nBcc: x.`, wrap: true },
                {
                  type: 'TextBlock',
                  text: `We are assessing what is affected.\nServices: Payroll\nStarted: ${started}`,
                  wrap: true,
                },
                {
                  type: 'TextBlock',
                  text:
                    `The technical teams are working on it. We will send regular updates.\nQuestions about this ` +
                    `incident: ${commsLead}`,
                  wrap: true,
                },
              ],
            },
          },
        ],
      },
    ]);

    // Jira and PagerDuty: one-line summaries; the text itself is data there.
    const oneLine =
      `[${mi.id}] [Reset your password](https://evil.example/reset) <!channel> [code]<img src=x ` +
      'onerror=alert(1)>[/code] Bcc: x';
    expect(issue?.fields.summary).toBe(oneLine);
    expect(pages[0]?.payload.summary).toBe(oneLine);

    // ServiceNow: the declared work note with every [code] tag broken. The Jira line is there when the issue was made
    // first.
    const snTitle =
      `[Reset your password](https://evil.example/reset) <!channel> [${ZWSP}code]<img src=x ` +
      `onerror=alert(1)>[${ZWSP}/code]\nBcc: x`;
    const note = [
      `MAJOR INCIDENT DECLARED — P1 — ${snTitle}`,
      '',
      `Declared: ${started} · Major Incident Manager: ${majorIncidentManager}`,
      `Resolver group: ${resolverGroup} · Comms lead: ${commsLead} · Service owner: ${serviceOwner}`,
      'Services: Payroll (tier 1)',
      '',
      snTitle,
      '',
      'ServiceNow: INC0010099',
    ].join('\n');
    const notes = patches.filter((p) => 'work_notes' in p).map((p) => String(p.work_notes));
    expect([note, `${note}\nJira: PAY-42`]).toContainEqual(notes.find((n) => n.startsWith('MAJOR INCIDENT DECLARED')));
    const round = notes.find((n) => n.startsWith('mim-bridge sent the declared messages'))!.split('\n');
    // The round's note: the headline on one line per message (the title's line break does not start a line of its
    // own), its [code] tags broken like the declared note's.
    const headline =
      `"Major incident: [Reset your password](https://evil.example/reset) <!channel> [${ZWSP}code]<img src=x ` +
      `onerror=alert(1)>[${ZWSP}/code] Bcc: x (P1)"`;
    expect(round[0]).toBe('mim-bridge sent the declared messages of this round (7 of 7):');
    expect(round.slice(1).every((l) => / at \d{2}:\d{2} UTC$/.test(l))).toBe(true);
    expect(round.slice(1).map((l) => l.replace(/ at \d{2}:\d{2} UTC$/, ''))).toEqual([
      `- ${headline} to Payroll administrators (Slack #payroll-status)`,
      `- ${headline} to Payroll administrators (email payroll-admins@example.edu)`,
      `- ${headline} to Finance leadership (Teams)`,
      `- ${headline} to Finance leadership (email finance-leadership@example.edu)`,
      `- ${headline} to IT leadership (email it-leadership@example.edu)`,
      `- ${headline} to Service Desk (Slack #service-desk)`,
      `- ${headline} to Resolver teams (Slack #major-incident-bridge)`,
    ]);
    // The portal announcement: the title on one line, no angle bracket left to open a tag if the portal renders HTML.
    await eventually(async () => announcement.done(), 10_000);
    const [announced] = announcement.created;
    expect(announced?.title).toBe(
      'Major incident: [Reset your password](https://evil.example/reset) \u2039!channel\u203a [code]\u2039img src=x ' +
        'onerror=alert(1)\u203a[/code] Bcc: x (P1)',
    );
    expect(String(announced?.summary)).not.toMatch(/[<>]/);
    expect(String(announced?.summary)).toContain('\u2039img src=x onerror=alert(1)\u203a');
  });
});
