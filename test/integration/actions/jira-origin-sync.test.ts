import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';
import { jiraWebhook } from '../../helpers/jira-webhook.ts';
import { openApiErrors } from '../connectors/jira-openapi.ts';
import { jiraProjectLookup, SN_DATE_TIME, SN_USER_SYS_ID, snUserLookup } from '../../helpers/vendor-lookups.ts';

/**
 * A major incident that starts in Jira: mim-bridge creates the ServiceNow record the service
 * desk works in (found-or-created on correlation_id), links the Jira issue to it, keeps comments
 * flowing both ways with their visibility, and resolving the ServiceNow record resolves it all.
 */
const JIRA = 'http://jira.test';
const SN = 'http://servicenow.test';
const PD = 'http://pagerduty.test';
const SLACK = 'http://slack.test';
const NEW = 'f0000000000000000000000000000001';
const SUMMARY = 'Payroll export failing for all staff';
let svc: TestService;
let miId = '';
const snPatches: Array<Record<string, unknown>> = [];
const snCreated: Array<Record<string, unknown>> = [];
const remoteLinks: Array<Record<string, unknown>> = [];
const jiraComments: Array<Record<string, unknown>> = [];
const pd: Array<Record<string, unknown>> = [];
const issueLinks: Array<Record<string, unknown>> = [];
const slack: Array<Record<string, unknown>> = [];
let nextTs = 1;
/** Our round notes among the Jira comments (every write-back starts `mim-bridge sent `). */
const commentText = (c: Record<string, unknown>) => JSON.stringify(c);
const roundComments = () => jiraComments.filter((c) => commentText(c).includes('mim-bridge sent the '));
const mirroredComments = () => jiraComments.filter((c) => !commentText(c).includes('mim-bridge sent '));

const post = async (source: 'servicenow' | 'jira', payload: unknown) => {
  const body = JSON.stringify(payload);
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source, SECRETS[source], body),
  });
  expect(res.status).toBe(202);
};

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  svc = await startTestService(
    {
      JIRA_URL: JIRA,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      JIRA_ACCOUNT_ID: 'mim-bot-account',
      PAGERDUTY_EVENTS_URL: PD,
      SLACK_API_URL: `${SLACK}/api`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'sn-password',
    },
    { secrets: { MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000' } },
  );
  // Created accepted, so named as promoted by the integration user: its sys_id is read once, first (before the
  // body matchers below).
  const userLookup = snUserLookup(SN);
  nock(SN)
    .persist()
    .get('/api/now/table/incident')
    .query((q) => typeof q.sysparm_query === 'string' && q.sysparm_query.startsWith('correlation_id='))
    .reply(200, () => ({ result: snCreated.length ? [{ sys_id: NEW, number: 'INC0020001', state: '1' }] : [] }))
    // nock offers every request body of this host to each matcher; keep only what each interceptor is for.
    .post('/api/now/table/incident', (b) => {
      if (!b.short_description) return false;
      snCreated.push(b);
      return true;
    })
    .reply(201, { result: { sys_id: NEW, number: 'INC0020001', state: '1', major_incident_state: 'accepted' } })
    .patch(`/api/now/table/incident/${NEW}`, (b) => {
      // A GET's empty body ('') is offered too.
      if (typeof b !== 'object' || b.short_description) return false;
      snPatches.push(b);
      return true;
    })
    .reply(200, { result: { sys_id: NEW, number: 'INC0020001', state: '2' } })
    .get(`/api/now/table/incident/${NEW}`)
    .reply(200, { result: { sys_id: NEW, number: 'INC0020001', state: '6' } });
  nock(PD)
    .persist()
    .post('/v2/enqueue', (b) => {
      pd.push(b);
      return true;
    })
    .reply(202, { status: 'success', dedup_key: 'x' });
  nock(SLACK)
    .persist()
    .post(/\/api\/chat\.(postMessage|update)/, (b: Record<string, unknown>) => {
      slack.push(b);
      return true;
    })
    // nock 15 hands the reply the request itself: read its own body (calls overlap).
    .reply(200, async (req: Request) => {
      const b = (await req.json()) as Record<string, unknown>;
      return { ok: true, channel: b.channel, ts: b.ts ?? `1763800000.${String(nextTs++).padStart(6, '0')}` };
    });
  // PAY is a software project.
  jiraProjectLookup(JIRA);
  nock(JIRA)
    .persist()
    .post('/rest/api/3/issue/PAY-7/remotelink', (b) => {
      if (!b.globalId) return false;
      remoteLinks.push(b);
      return true;
    })
    .reply(201, { id: 1, self: 'x' })
    .post('/rest/api/3/issue/PAY-7/comment', (b) => {
      if (!b.body) return false;
      jiraComments.push(b);
      return true;
    })
    .reply(201, { id: '20001', self: 'x' })
    .post('/rest/api/3/issueLink', (b) => {
      if (!b.inwardIssue) return false;
      issueLinks.push(b);
      return true;
    })
    .reply(201)
    .get('/rest/api/3/issue/PAY-7')
    .query({ fields: 'status' })
    .reply(200, {
      id: '10007',
      key: 'PAY-7',
      fields: { status: { name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done' } } },
    });

  await post(
    'jira',
    jiraWebhook('issue_created.cloud', {
      id: '10007',
      key: 'PAY-7',
      summary: SUMMARY,
      priority: 'Highest',
      category: 'new',
      accountId: 'human-1',
      timestamp: Date.parse('2026-11-20T09:00:00Z'),
    }),
  );
  const mi = await eventually(async () => {
    const open = await svc.majorIncidents.openFor('payroll');
    return open?.links.servicenow && open.links.jira && open.links.pagerduty ? open : undefined;
  }, 8_000);
  miId = mi.id;
  expect(userLookup.isDone()).toBe(true);
});
afterAll(async () => {
  await stopAndClean(svc);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a Jira-origin major incident', () => {
  it('creates the ServiceNow record once, accepted as major and carrying our correlation_id', async () => {
    const mi = await svc.majorIncidents.get(miId);
    expect(mi?.origin).toMatchObject({ source: 'jira', recordId: '10007', number: 'PAY-7' });
    expect(mi?.links.servicenow).toEqual({ sysId: NEW, number: 'INC0020001' });
    expect(mi?.links.jira).toEqual({ key: 'PAY-7', id: '10007' });
    expect(snCreated).toEqual([
      {
        short_description: `[${miId}] ${SUMMARY}`,
        description: expect.stringMatching(/^MAJOR INCIDENT DECLARED — P1 — Payroll export failing/),
        impact: '1',
        urgency: '1',
        major_incident_state: 'accepted',
        // As ServiceNow's own Promote action names who and when.
        promoted_by: SN_USER_SYS_ID,
        promoted_on: expect.stringMatching(SN_DATE_TIME),
        correlation_id: miId,
        correlation_display: 'mim-bridge',
      },
    ]);
    // Webhooks from the record we created are ours, not a new incident on the service.
    expect((await svc.majorIncidents.findByRecord(`servicenow/${NEW}`))?.id).toBe(miId);
  });

  it(
    'links the Jira issue to the new ServiceNow record, and writes the declared note there once it ' + 'exists',
    async () => {
      await eventually(async () => remoteLinks.length >= 1 && snPatches.some((p) => 'work_notes' in p), 8_000);
      for (const l of remoteLinks) {
        expect(l).toEqual({
          globalId: `mim-bridge:${miId}:servicenow`,
          application: { type: 'mim-bridge', name: 'mim-bridge' },
          object: { url: `${SN}/incident.do?sys_id=${NEW}`, title: 'INC0020001', summary: 'ServiceNow major incident' },
        });
      }
      expect(String(snPatches.find((p) => 'work_notes' in p)?.work_notes)).toMatch(/^MAJOR INCIDENT DECLARED/);
      expect(pd[0]).toMatchObject({ event_action: 'trigger', dedup_key: miId });
    },
  );

  it(
    'mirrors a public Jira comment to ServiceNow comments and a ServiceNow work note to a Jira internal ' + 'comment',
    async () => {
      await post(
        'jira',
        jiraWebhook('comment_created.cloud', {
          id: '10007',
          key: 'PAY-7',
          priority: 'Highest',
          timestamp: Date.parse('2026-11-20T09:05:00Z'),
          comment: { id: '30001', body: 'Export job restarted', author: 'human-1' },
        }),
      );
      await eventually(async () => snPatches.some((p) => 'comments' in p), 8_000);
      expect(snPatches.find((p) => 'comments' in p)).toEqual({
        comments: '[Jira PAY-7, human-1] Export job restarted',
      });

      await post(
        'servicenow',
        wrapped(
          snRecord({
            sys_id: NEW,
            number: 'INC0020001',
            sys_mod_count: '3',
            sys_updated_on: '2026-11-20 09:06:00',
            work_notes: 'Vendor ticket VND-9 opened',
          }),
          'work_notes',
        ),
      );
      await eventually(async () => mirroredComments().length === 1, 8_000);
      expect(mirroredComments()[0]).toEqual({
        body: {
          type: 'doc',
          version: 1,
          content: [
            {
              type: 'paragraph',
              content: [{ type: 'text', text: '[ServiceNow INC0020001, fred.luddy] Vendor ticket VND-9 opened' }],
            },
          ],
        },
        properties: [
          { key: 'sd.public.comment', value: { internal: true } },
          { key: 'mim-bridge', value: { majorIncidentId: miId } },
        ],
      });
    },
  );

  it("writes the declaration round's messages as one internal comment on the origin issue", async () => {
    await eventually(async () => roundComments().length >= 1, 15_000);
    const title = `Major incident: ${SUMMARY} (P1)`;
    const sent = (whom: string) =>
      expect.stringMatching(
        new RegExp(`^- "${title.replace(/[()]/g, '\\$&')}" to ${whom.replace(/[()]/g, '\\$&')} at \\d\\d:\\d\\d UTC$`),
      );
    // Slack is the only message target configured here: the others are named as not configured.
    const lines = [
      'mim-bridge sent the declared messages of this round (3 of 7):',
      sent('Payroll administrators (Slack #payroll-status)'),
      '- not sent to Payroll administrators (email payroll-admins@example.edu): email is not configured',
      '- not sent to Finance leadership (Teams): teams is not configured',
      '- not sent to Finance leadership (email finance-leadership@example.edu): email is not configured',
      '- not sent to IT leadership (email it-leadership@example.edu): email is not configured',
      sent('Service Desk (Slack #service-desk)'),
      sent('Resolver teams (Slack #major-incident-bridge)'),
    ];
    // One JSM internal comment (sd.public.comment) for the round, none per message.
    expect(roundComments()).toEqual([
      {
        body: {
          type: 'doc',
          version: 1,
          content: [
            {
              type: 'paragraph',
              content: lines.flatMap((text, i) => [...(i ? [{ type: 'hardBreak' }] : []), { type: 'text', text }]),
            },
          ],
        },
        properties: [
          { key: 'sd.public.comment', value: { internal: true } },
          { key: 'mim-bridge', value: { majorIncidentId: miId } },
        ],
      },
    ]);
    expect(jiraComments.filter((c) => commentText(c).includes('mim-bridge sent \\"'))).toEqual([]);
  });

  it('links a Jira child to the technical issue with one Relates link', async () => {
    const child = jiraWebhook('issue_created.cloud', {
      id: '10008',
      key: 'PAY-8',
      summary: 'Payslips missing',
      priority: 'Highest',
      category: 'new',
      accountId: 'human-2',
      timestamp: Date.parse('2026-11-20T09:08:00Z'),
    });
    await post('jira', child);
    await eventually(async () => issueLinks.length === 1, 8_000);
    const link = { type: { name: 'Relates' }, outwardIssue: { key: 'PAY-7' }, inwardIssue: { key: 'PAY-8' } };
    expect(issueLinks).toEqual([link]);
    expect(await openApiErrors({ method: 'POST', path: '/rest/api/3/issueLink', body: link })).toEqual([]);
    expect((await svc.majorIncidents.children(miId)).map((c) => c.number)).toContain('PAY-8');
  });

  it('resolves when the ServiceNow record it created is resolved, and resolves the page', async () => {
    await post(
      'servicenow',
      snRecord({
        sys_id: NEW,
        number: 'INC0020001',
        sys_mod_count: '4',
        sys_updated_on: '2026-11-20 09:30:00',
        state: '6',
      }),
    );
    await eventually(async () => (await svc.majorIncidents.get(miId))?.state === 'resolved', 8_000);
    await eventually(async () => pd.some((p) => p.event_action === 'resolve'), 8_000);
    expect(pd.find((p) => p.event_action === 'resolve')).toMatchObject({ dedup_key: miId });
    expect(snCreated).toHaveLength(1);
  });
});
