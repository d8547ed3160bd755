import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { waitForIdle } from '../../helpers/idle.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.ts';
import { jiraProjectLookup, SN_DATE_TIME, SN_USER_SYS_ID, snUserLookup } from '../../helpers/vendor-lookups.ts';

/**
 * Roles, audiences, the write-back of every message and the latest public update, on a
 * ServiceNow-origin major incident, with the real service and nock at the HTTP boundary.
 */
const SN = 'http://servicenow.test';
const JIRA = 'http://jira.test';
const SLACK = 'http://slack.test';
const PD = 'http://pagerduty.test';
const TEAMS = 'http://teams.test';
const SYS = 'd0000000000000000000000000000001';
const TOKEN = 'roles-audiences-admin-token';
const TITLE = 'Payroll portal down for all staff';
let svc: TestService;
let smtp: SmtpSink;
let miId = '';
let snState = '2';
let issueCategory: 'new' | 'indeterminate' | 'done' = 'new';
const snPatches: Array<Record<string, unknown>> = [];
const slack: Array<Record<string, unknown>> = [];
const jiraComments: Array<Record<string, unknown>> = [];
let nextTs = 1;

const post = async (payload: unknown) => {
  const body = JSON.stringify(payload);
  const res = await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  expect(res.status).toBe(202);
};
const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const timeline = async (kind: string) =>
  (await svc.majorIncidents.timeline(miId)).filter((e: TimelineEntry) => e.kind === kind);
const auditLines = () => svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);
const workNotes = () => snPatches.filter((p) => typeof p.work_notes === 'string').map((p) => String(p.work_notes));
/** The round's one work note per playbook round of a template, as lines. */
const roundNotes = (template: string) =>
  workNotes()
    .filter((n) => n.startsWith(`mim-bridge sent the ${template} messages of this round`))
    .map((n) => n.split('\n'));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A line of a round note, for the headline `title` sent to `whom`, at any minute. */
const sentLine = (title: string, whom: string) =>
  new RegExp(`^- "${escapeRegExp(title)}" to ${escapeRegExp(whom)} at \\d\\d:\\d\\d UTC$`);
/** Slack messages with a template's text, by channel. */
const slackText = (m: Record<string, unknown>) => String(m.text ?? '');
const transition = (id: string, key: 'indeterminate' | 'done') => ({
  id,
  name: key,
  to: { id, name: key, statusCategory: { id: 1, key, name: key } },
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // Every message of a round goes out (Slack, the Teams card, email), so each round settles and writes its note.
  smtp = await startSmtpSink();
  svc = await startTestService(
    {
      ...smtp.env,
      MIM_ADMIN_TOKEN: TOKEN,
      PAGERDUTY_EVENTS_URL: PD,
      SLACK_API_URL: `${SLACK}/api`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      JIRA_URL: JIRA,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      JIRA_ACCOUNT_ID: 'mim-bot-account',
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'sn-password',
    },
    {
      secrets: {
        MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000',
        MIM_ROUTE_TEAMS_FINANCE: `${TEAMS}/workflows/finance`,
      },
    },
  );
  // Accepting names the integration user as promoter: its sys_id is read once, first (before the body matcher).
  const userLookup = snUserLookup(SN);
  nock(SN)
    .persist()
    .patch(`/api/now/table/incident/${SYS}`, (b) => {
      // A GET's empty body ('') is offered too.
      if (typeof b !== 'object') return false;
      snPatches.push(b);
      return true;
    })
    .reply(200, { result: { sys_id: SYS, number: 'INC0010042', state: '2' } })
    .get(`/api/now/table/incident/${SYS}`)
    .reply(200, () => ({ result: { sys_id: SYS, number: 'INC0010042', state: snState } }));
  nock(PD).persist().post('/v2/enqueue').reply(202, { status: 'success', dedup_key: 'x' });
  nock(TEAMS).persist().post('/workflows/finance').reply(202, '');
  nock(SLACK)
    .persist()
    .post(/\/api\/chat\.(postMessage|update)/, (b: Record<string, unknown>) => {
      slack.push(b);
      return true;
    })
    // Slack answers with the channel it was given (a name here) and the message's ts. nock 15 hands
    // the reply the request itself: read its own body, not the last one recorded (calls overlap).
    .reply(200, async (req: Request) => {
      const b = (await req.json()) as Record<string, unknown>;
      return { ok: true, channel: b.channel, ts: b.ts ?? `1763800000.${String(nextTs++).padStart(6, '0')}` };
    });
  nock(JIRA)
    .persist()
    .post('/rest/api/3/search/jql')
    .reply(200, { issues: [], isLast: true })
    .post('/rest/api/3/issue', (b) => Boolean(b.fields?.issuetype))
    .reply(201, { id: '10042', key: 'PAY-42', self: 'x' })
    .post('/rest/api/3/issue/PAY-42/remotelink')
    .reply(201, { id: 1, self: 'x' })
    .post('/rest/api/3/issue/PAY-42/comment', (b) => {
      jiraComments.push(b);
      return true;
    })
    .reply(201, { id: '20001', self: 'x' })
    .get('/rest/api/3/issue/PAY-42')
    .query({ fields: 'status' })
    .reply(200, () => ({
      id: '10042',
      key: 'PAY-42',
      fields: { status: { name: issueCategory, statusCategory: { id: 1, key: issueCategory, name: issueCategory } } },
    }))
    .get('/rest/api/3/issue/PAY-42/transitions')
    .reply(200, () => ({
      transitions:
        issueCategory === 'done'
          ? [transition('11', 'indeterminate')]
          : issueCategory === 'new'
            ? [transition('11', 'indeterminate')]
            : [transition('31', 'done')],
    }))
    .post('/rest/api/3/issue/PAY-42/transitions', (b) => {
      issueCategory = b.transition?.id === '31' ? 'done' : 'indeterminate';
      return true;
    })
    .reply(204);
  // PAY is a software project.
  jiraProjectLookup(JIRA);

  await post(
    snRecord({ sys_id: SYS, sys_mod_count: '1', sys_updated_on: '2026-11-20 09:00:00', short_description: TITLE }),
  );
  const mi = await eventually(async () => {
    const open = await svc.majorIncidents.openFor('payroll');
    return open && Object.keys(open.links.slack ?? {}).length === 3 && open.links.jira ? open : undefined;
  }, 15_000).catch(async (err: unknown) => {
    if (process.env.DUMP)
      console.log(
        svc.logs
          .filter((l) => /slack/i.test(l))
          .slice(0, 6)
          .join(''),
      );
    throw err;
  });
  miId = mi.id;
  await eventually(async () => userLookup.isDone());
}, 30_000);
afterAll(async () => {
  await stopAndClean(svc);
  await smtp.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('every message sent is written back into the origin ticket', () => {
  it(
    "a round's messages become one ServiceNow work note naming each audience, the channel and the time " +
      '(never a public comment)',
    async () => {
      const [lines] = await eventually(
        async () => (roundNotes('declared').length ? roundNotes('declared') : undefined),
        15_000,
      );
      // Accepted as ServiceNow's own Promote action does: by the integration user, now (UTC).
      expect(snPatches).toContainEqual({
        major_incident_state: 'accepted',
        promoted_by: SN_USER_SYS_ID,
        promoted_on: expect.stringMatching(SN_DATE_TIME),
        correlation_id: miId,
        correlation_display: 'mim-bridge',
      });
      const completed = (await timeline('action.completed')).find(
        (e) => e.detail.do === 'notify' && e.detail.channel === '#payroll-status',
      );
      expect(completed).toBeDefined();
      const at = Date.parse(completed!.at);
      const expected = (ms: number) =>
        `- "Major incident: ${TITLE} (P1)" to Payroll administrators (Slack #payroll-status) ` +
        `at ${new Date(ms).toISOString().slice(11, 16)} UTC`;
      // Each line has the time its message was sent: the same minute as the timeline entry, unless a minute
      // turned in between.
      expect([expected(at), expected(at - 60_000)]).toContain(
        lines!.find((l) => l.includes('(Slack #payroll-status)')),
      );
      const title = `Major incident: ${TITLE} (P1)`;
      expect(lines![0]).toBe('mim-bridge sent the declared messages of this round (7 of 7):');
      expect(lines!.slice(1)).toEqual([
        expect.stringMatching(sentLine(title, 'Payroll administrators (Slack #payroll-status)')),
        expect.stringMatching(sentLine(title, 'Payroll administrators (email payroll-admins@example.edu)')),
        expect.stringMatching(sentLine(title, 'Finance leadership (Teams)')),
        expect.stringMatching(sentLine(title, 'Finance leadership (email finance-leadership@example.edu)')),
        expect.stringMatching(sentLine(title, 'IT leadership (email it-leadership@example.edu)')),
        expect.stringMatching(sentLine(title, 'Service Desk (Slack #service-desk)')),
        expect.stringMatching(sentLine(title, 'Resolver teams (Slack #major-incident-bridge)')),
      ]);
      // One note for the round, none per message.
      expect(roundNotes('declared')).toHaveLength(1);
      expect(workNotes().filter((n) => n.startsWith('mim-bridge sent "'))).toEqual([]);
      expect(snPatches.some((p) => 'comments' in p)).toBe(false);
    },
  );

  it('the note coming back from ServiceNow (written by the integration user) is not mirrored to Jira', async () => {
    const note = roundNotes('declared')[0]!.join('\n');
    await post(
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '2',
          sys_updated_on: '2026-11-20 09:06:00',
          sys_updated_by: 'mim.integration',
          work_notes: note,
        }),
        'work_notes',
        ['work_notes'],
      ),
    );
    await eventually(
      async () => svc.logs.some((l) => l.includes(`"deliveryId":"${SYS}@2"`) && l.includes('"result":"echo"')),
      8_000,
    );
    expect(jiraComments.filter((c) => JSON.stringify(c).includes('mim-bridge sent'))).toEqual([]);
  });
});

describe('roles', () => {
  it('PATCH /roles changes a role, records roles.changed {from, to, by} and an audit line', async () => {
    const res = await admin('PATCH', `/admin/major-incidents/${miId}/roles`, {
      commsLead: 'duty-comms@example.edu',
      reason: 'shift handover',
      actor: 'bo.mim',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { majorIncident: { roles: unknown } }).majorIncident.roles).toEqual({
      majorIncidentManager: 'mim-oncall@example.edu',
      commsLead: 'duty-comms@example.edu',
      serviceOwner: 'head-of-payroll@example.edu',
      resolverGroup: 'Payroll Platform',
    });
    expect((await svc.majorIncidents.get(miId))?.roles.commsLead).toBe('duty-comms@example.edu');
    const [changed] = await timeline('roles.changed');
    expect(changed).toMatchObject({
      kind: 'roles.changed',
      actor: { type: 'person', id: 'bo.mim' },
      detail: {
        from: { commsLead: 'it-comms@example.edu' },
        to: { commsLead: 'duty-comms@example.edu' },
        by: 'bo.mim',
        reason: 'shift handover',
      },
    });
    expect(auditLines().find((l) => l.what === 'major-incident.roles' && l.status === 200)).toMatchObject({
      method: 'PATCH',
      path: `/admin/major-incidents/${miId}/roles`,
      actor: 'bo.mim',
      target: miId,
      auth: 'admin-token',
      before: expect.objectContaining({ commsLead: 'it-comms@example.edu' }),
      after: expect.objectContaining({ commsLead: 'duty-comms@example.edu' }),
    });
  });

  it('answers 400 naming the field, 404 for an unknown major incident, both audited', async () => {
    const typo = await admin('PATCH', `/admin/major-incidents/${miId}/roles`, { manager: 'x@example.edu' });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { field: string }).field).toBe('(root)');
    const blank = await admin('PATCH', `/admin/major-incidents/${miId}/roles`, { commsLead: '' });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { field: string }).field).toBe('commsLead');
    expect((await admin('PATCH', `/admin/major-incidents/${miId}/roles`, {})).status).toBe(400);
    const unknown = await admin('PATCH', '/admin/major-incidents/MI-NOPE/roles', { commsLead: 'a@example.edu' });
    expect(unknown.status).toBe(404);
    expect(
      auditLines()
        .filter((l) => l.what === 'major-incident.roles')
        .map((l) => l.status),
    ).toEqual([200, 400, 400, 400, 404]);
    expect(await timeline('roles.changed')).toHaveLength(1);
  });

  it('a changed assignment_group on the ServiceNow origin becomes the resolver group', async () => {
    await post(
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '3',
          sys_updated_on: '2026-11-20 09:08:00',
          assignment_group: { value: '8a4dde73c6112278017a6a4baf547aa8', display_value: 'Payroll Database Team' },
        }),
        'update',
        ['assignment_group'],
      ),
    );
    // The record is patched before its timeline entry is appended: wait for the entry, not the role.
    await eventually(async () => (await timeline('roles.changed')).length >= 2, 8_000);
    expect((await svc.majorIncidents.get(miId))?.roles.resolverGroup).toBe('Payroll Database Team');
    const changes = await timeline('roles.changed');
    expect(changes[1]).toMatchObject({
      actor: { type: 'source', id: 'servicenow:fred.luddy' },
      detail: {
        from: { resolverGroup: 'Payroll Platform' },
        to: { resolverGroup: 'Payroll Database Team' },
        by: 'servicenow:fred.luddy',
        field: 'assignment_group',
      },
    });
    // The admin change stands: the comms lead was not reset by the ServiceNow update.
    expect((await svc.majorIncidents.get(miId))?.roles.commsLead).toBe('duty-comms@example.edu');
  });
});

describe('audiences and the latest public update', () => {
  it('400 naming an audience that audiences.yaml does not have', async () => {
    const res = await admin('POST', `/admin/major-incidents/${miId}/audiences`, {
      add: ['library-staff', 'no-such-team'],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', field: 'add.1' });
    expect(await timeline('audiences.changed')).toEqual([]);
  });

  it('an audience added by hand is told at the next playbook step, one removed is not; ' +
    'the resolved message carries the latest public update', async () => {
    const res = await admin('POST', `/admin/major-incidents/${miId}/audiences`, {
      add: ['library-staff'],
      remove: ['resolvers'],
      reason: 'library payroll kiosks affected',
      actor: 'bo.mim',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { audiences: string[] }).audiences).toEqual([
      'payroll-users',
      'finance-leaders',
      'it-leadership',
      'service-desk',
      'library-staff',
    ]);
    expect((await svc.majorIncidents.get(miId))?.audiences).toEqual({
      added: ['library-staff'],
      removed: ['resolvers'],
    });
    expect((await timeline('audiences.changed'))[0]?.detail).toMatchObject({
      add: ['library-staff'],
      remove: ['resolvers'],
      by: 'bo.mim',
      reason: 'library payroll kiosks affected',
    });
    expect(auditLines().find((l) => l.what === 'major-incident.audiences' && l.status === 200)).toMatchObject({
      method: 'POST',
      actor: 'bo.mim',
      target: miId,
    });

    // A public comment on the origin is the latest public update; a work note is not.
    await post(
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '4',
          sys_updated_on: '2026-11-20 09:10:00',
          assignment_group: { value: 'x', display_value: 'Payroll Database Team' },
          comments: 'Failover to the standby database is complete',
        }),
        'comment',
        ['comments'],
      ),
    );
    await post(
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '5',
          sys_updated_on: '2026-11-20 09:11:00',
          assignment_group: { value: 'x', display_value: 'Payroll Database Team' },
          work_notes: 'internal: DB lag 3s',
        }),
        'work_notes',
        ['work_notes'],
      ),
    );
    await eventually(async () => jiraComments.length >= 2, 8_000);
    expect((await svc.majorIncidents.synced(miId)).latestUpdate).toEqual({
      text: 'Failover to the standby database is complete',
      author: 'fred.luddy',
      at: '2026-11-20T09:10:00Z',
      source: 'servicenow',
      record: 'INC0010042',
    });

    const before = slack.length;
    snState = '6';
    await post(
      snRecord({
        sys_id: SYS,
        sys_mod_count: '6',
        sys_updated_on: '2026-11-20 09:30:00',
        state: '6',
        assignment_group: { value: 'x', display_value: 'Payroll Database Team' },
      }),
    );
    const resolved = await eventually(async () => {
      const sent = slack.slice(before).filter((m) => slackText(m).startsWith('Resolved:') && m.thread_ts);
      return new Set(sent.map((m) => m.channel)).size >= 3 ? sent : undefined;
    }, 15_000).catch(async (e: unknown) => {
      if (process.env.DUMP)
        console.log(
          (await svc.majorIncidents.get(miId))?.state,
          JSON.stringify(slack.slice(before).map((m) => [m.channel, m.thread_ts, slackText(m).slice(0, 40)])),
          svc.logs
            .filter((l) => /"level":(40|50)/.test(l))
            .slice(-5)
            .join(''),
        );
      throw e;
    });
    // No fourth channel told later: every action ran (timers minutes away do not count).
    await waitForIdle({ prefix: svc.keys.prefix, delayedDueWithinMs: 5_000 });
    const channels = new Set(
      slack
        .slice(before)
        .filter((m) => slackText(m).startsWith('Resolved:'))
        .map((m) => m.channel),
    );
    expect([...channels].sort()).toEqual(['#library-systems', '#payroll-status', '#service-desk']);
    expect(resolved.every((m) => slackText(m).includes('Failover to the standby database is complete'))).toBe(true);
  }, 40_000);

  it('the latest public update is rendered into the update message (a re-open plays the update playbook)', async () => {
    snState = '2';
    // Counted from before the comment: on a loaded machine the re-open may be decided before the next line runs.
    const before = slack.length;
    await post(
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '7',
          sys_updated_on: '2026-11-20 09:40:00',
          assignment_group: { value: 'x', display_value: 'Payroll Database Team' },
          comments: 'Payslips still missing for night shift; we are re-running the export',
        }),
        'comment',
        ['comments'],
      ),
    );
    await eventually(
      async () =>
        (await svc.majorIncidents.synced(miId)).latestUpdate !== undefined &&
        ((await svc.majorIncidents.synced(miId)).latestUpdate as { text: string }).text.startsWith(
          'Payslips still missing',
        ),
      8_000,
    );
    await post(
      snRecord({
        sys_id: SYS,
        sys_mod_count: '8',
        sys_updated_on: '2026-11-20 09:41:00',
        state: '2',
        assignment_group: { value: 'x', display_value: 'Payroll Database Team' },
      }),
    );
    await eventually(async () => (await svc.majorIncidents.get(miId))?.state === 'declared', 8_000);
    const updates = await eventually(async () => {
      const sent = slack.slice(before).filter((m) => slackText(m).startsWith('Update:') && m.thread_ts);
      return new Set(sent.map((m) => m.channel)).size >= 3 ? sent : undefined;
    }, 30_000); // Slack's queue sends one message a second: generous for a loaded CI machine.
    const payroll = updates.find((m) => m.channel === '#payroll-status')!;
    expect(slackText(payroll)).toContain('Update on the major incident: Payroll portal down for all staff');
    expect(slackText(payroll)).toContain('Payslips still missing for night shift; we are re-running the export');
    expect(slackText(payroll)).toContain('Questions about this incident: duty-comms@example.edu');
    // The update round is written back too: one note, a line per message (library-staff added, resolvers removed).
    const [update] = await eventually(
      async () => (roundNotes('update').length ? roundNotes('update') : undefined),
      15_000,
    );
    expect(update![0]).toBe('mim-bridge sent the update messages of this round (7 of 7):');
    const slackLines = update!.filter((l) => l.includes('(Slack #'));
    expect(slackLines).toEqual([
      expect.stringMatching(/^- "Update: .*" to Payroll administrators \(Slack #payroll-status\) at \d\d:\d\d UTC$/),
      expect.stringMatching(/^- "Update: .*" to Service Desk \(Slack #service-desk\) at \d\d:\d\d UTC$/),
      expect.stringMatching(/^- "Update: .*" to Library staff \(Slack #library-systems\) at \d\d:\d\d UTC$/),
    ]);
    expect(workNotes().filter((n) => n.startsWith('mim-bridge sent "'))).toEqual([]);
  }, 60_000);
});
