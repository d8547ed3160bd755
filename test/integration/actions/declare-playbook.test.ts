import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import {
  jiraProjectLookup,
  SN_ANNOUNCEMENT,
  SN_DATE_TIME,
  SN_USER_SYS_ID,
  snAnnouncementCreate,
  snRecordRead,
  snUserLookup,
} from '../../helpers/vendor-lookups.ts';

import { JIRA, PD, SLACK, SN, startWithEveryVendor, TEAMS } from '../../helpers/every-vendor.ts';
const SYS_ID = 'e2e00000000000000000000000000001';
let svc: TestService;
let stop: () => Promise<void>;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // PAY and IAM are software projects: their issues are Tasks, with no JSM major-incident field.
  jiraProjectLookup(JIRA);
  // The round's email messages go out too, so the round's work note can list every message.
  ({ svc, stop } = await startWithEveryVendor());
});
afterAll(async () => {
  await stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('the declare playbook across targets', () => {
  it(
    'accepts the ServiceNow record as major, creates the Jira issue once (marker label), pages, posts one status ' +
      'message per Slack channel and a card to the Teams audience',
    async () => {
      const posted: Array<Record<string, unknown>> = [];
      let created: Record<string, unknown> | undefined;
      const linked: Array<Record<string, unknown>> = [];
      const jira = nock(JIRA)
        .post('/rest/api/3/search/jql', (b) => typeof b.jql === 'string' && /^labels = "mim-MI-[A-Z0-9-]+"/.test(b.jql))
        .reply(200, { issues: [], isLast: true })
        .post('/rest/api/3/issue', (b) => {
          created = b;
          return true;
        })
        .reply(201, { id: '10042', key: 'PAY-42', self: `${JIRA}/rest/api/3/issue/10042` })
        .post('/rest/api/3/issue/PAY-42/remotelink', (b) => {
          linked.push(b);
          return true;
        })
        .times(2)
        .optionally()
        .reply(201, { id: 1, self: 'x' });
      const slack = nock(SLACK)
        .post('/api/chat.postMessage', (b) => {
          posted.push(b);
          return true;
        })
        .times(3)
        .reply(200, { ok: true, channel: 'C0PAYROLL', ts: '1763800000.000100' });
      const pd = nock(PD).post('/v2/enqueue').reply(202, { status: 'success', dedup_key: 'x' });
      let card: { type?: string; attachments?: Array<{ contentType: string; content: unknown }> } | undefined;
      const teams = nock(TEAMS)
        .post('/workflows/finance', (b) => {
          card = b;
          return true;
        })
        .reply(202, '');
      const patches: Array<Record<string, unknown>> = [];
      // Accepting reads the record (only a move names who and when) and, once, the integration user's sys_id.
      // Set up before the PATCH, whose body matcher would otherwise see these reads.
      const reads = [snRecordRead(SN, SYS_ID, ''), snUserLookup(SN)];
      // The payroll-users announcement (audiences.yaml): created once, on its portal.
      const announcement = snAnnouncementCreate(SN);
      // Three writes to the origin record: accepted as major, the declared work note (either order: one queue,
      // concurrency), and the round's one note listing the messages once they were all sent.
      const sn = nock(SN)
        .patch(`/api/now/table/incident/${SYS_ID}`, (b) => {
          patches.push(b);
          return true;
        })
        .times(3)
        .basicAuth({ user: 'mim.integration', pass: 'sn-password' })
        .reply(200, { result: { sys_id: SYS_ID, number: 'INC0010042', state: '2', major_incident_state: 'accepted' } });

      const body = JSON.stringify(
        snRecord({ sys_id: SYS_ID, sys_mod_count: '1', short_description: 'Payroll portal down for all staff' }),
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

      const done = await eventually(async () => {
        const m = await svc.majorIncidents.get(mi.id);
        return m?.links.jira && m.links.pagerduty && m.links.servicenow && Object.keys(m.links.slack ?? {}).length === 3
          ? m
          : undefined;
      }, 10_000);
      expect(done.links.jira).toEqual({ key: 'PAY-42', id: '10042' });
      await eventually(async () => teams.isDone());
      // Once with the issue; once more if the playbook's remote_link step ran after the issue existed.
      await eventually(async () => linked.length >= 1, 8_000);
      expect(jira.isDone() && slack.isDone() && pd.isDone()).toBe(true);
      // The link back to ServiceNow, under one globalId, so a repeat updates the same link.
      for (const l of linked) {
        expect(l).toEqual({
          globalId: `mim-bridge:${mi.id}:servicenow`,
          application: { type: 'mim-bridge', name: 'mim-bridge' },
          object: {
            url: `${SN}/incident.do?sys_id=${SYS_ID}`,
            title: 'INC0010042',
            summary: 'ServiceNow major incident',
          },
        });
      }
      expect(card?.type).toBe('message');
      expect(card?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      // The card's title is Markdown: the headline's parentheses come escaped (connectors/teams/escape-markdown.ts).
      expect(card?.attachments?.[0]?.content).toMatchObject({
        body: expect.arrayContaining([
          expect.objectContaining({ text: 'Major incident: Payroll portal down for all staff \\(P1\\)' }),
        ]),
      });
      await eventually(async () => sn.isDone(), 10_000);
      expect(reads.every((scope) => scope.isDone())).toBe(true);
      // Accepted as ServiceNow's own Promote action does: by the integration user, now (UTC).
      expect(patches).toContainEqual({
        major_incident_state: 'accepted',
        promoted_by: SN_USER_SYS_ID,
        promoted_on: expect.stringMatching(SN_DATE_TIME),
        correlation_id: mi.id,
        correlation_display: 'mim-bridge',
      });
      const notes = patches.filter((p) => 'work_notes' in p);
      expect(notes.map((n) => Object.keys(n))).toEqual([['work_notes'], ['work_notes']]);
      const note = notes.find((n) => String(n.work_notes).startsWith('MAJOR INCIDENT DECLARED'));
      expect(String(note?.work_notes)).toMatch(/^MAJOR INCIDENT DECLARED — P1 — Payroll portal down for all staff\n/);
      // One note for the round, not one per message: a line per Slack channel, Teams card and email.
      const round = String(notes.find((n) => n !== note)?.work_notes).split('\n');
      const title = '"Major incident: Payroll portal down for all staff (P1)"';
      expect(round[0]).toBe('mim-bridge sent the declared messages of this round (7 of 7):');
      expect(round.slice(1).every((l) => / at \d{2}:\d{2} UTC$/.test(l))).toBe(true);
      expect(round.slice(1).map((l) => l.replace(/ at \d{2}:\d{2} UTC$/, ''))).toEqual([
        `- ${title} to Payroll administrators (Slack #payroll-status)`,
        `- ${title} to Payroll administrators (email payroll-admins@example.edu)`,
        `- ${title} to Finance leadership (Teams)`,
        `- ${title} to Finance leadership (email finance-leadership@example.edu)`,
        `- ${title} to IT leadership (email it-leadership@example.edu)`,
        `- ${title} to Service Desk (Slack #service-desk)`,
        `- ${title} to Resolver teams (Slack #major-incident-bridge)`,
      ]);
      expect(done.links.servicenow).toEqual({ sysId: SYS_ID, number: 'INC0010042' });
      await eventually(async () => announcement.done(), 10_000);
      expect(announcement.created).toEqual([
        {
          name: `mim-${mi.id}.payroll-users`,
          title: 'Major incident: Payroll portal down for all staff (P1)',
          summary: expect.stringMatching(/^We are handling a major incident: Payroll portal down for all staff\.\n/),
          display_style: SN_ANNOUNCEMENT.style,
          from: expect.stringMatching(SN_DATE_TIME),
          to: '',
          active: 'true',
        },
      ]);

      const fields = (created as { fields: Record<string, unknown> }).fields;
      expect(fields).toMatchObject({
        project: { key: 'PAY' },
        issuetype: { name: 'Task' },
        summary: `[${mi.id}] Payroll portal down for all staff`,
        labels: [`mim-${mi.id}`],
        priority: { name: 'Highest' },
      });
      expect(JSON.stringify(fields.description)).toContain(`Major incident ${mi.id} (P1)`);
      expect(posted.map((p) => p.channel).sort()).toEqual([
        '#major-incident-bridge',
        '#payroll-status',
        '#service-desk',
      ]);
      expect(
        posted.every(
          (p) =>
            typeof p.text === 'string' &&
            (p.text as string).startsWith('Major incident: Payroll portal down for all staff (P1)'),
        ),
      ).toBe(true);
      // The Jira issue we created is now a record of this major incident: its webhooks are our own.
      expect((await svc.majorIncidents.findByRecord('jira/10042'))?.id).toBe(mi.id);
    },
  );
});

describe('a major incident that starts in Jira', () => {
  it('links its own Jira issue instead of creating a second one', async () => {
    // Payroll is busy with the test above; IAM-77 is a P1 on Single Sign-On, made tier 1 here so it declares.
    const copy = configCopy();
    copy.edit('services.yaml', (t) => t.replace(/(- id: identity\n(?:.*\n)*?\s+tier: )2/, '$11'));
    const jiraSvc = await startTestService({
      JIRA_URL: JIRA,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      MIM_CONFIG_DIR: copy.dir,
    });
    const { readFileSync } = await import('node:fs');
    const sample = JSON.parse(readFileSync('test/fixtures/jira/issue_created.cloud.json', 'utf8'));
    sample.issue.id = '20077';
    sample.issue.key = 'IAM-77';
    sample.issue.fields.project = { ...sample.issue.fields.project, key: 'IAM' };
    sample.issue.fields.priority = { ...sample.issue.fields.priority, name: 'Highest' };
    sample.issue.fields.summary = 'SSO login fails for everyone';
    sample.issue.fields.components = [{ name: 'SSO' }];
    sample.user = { ...sample.user, accountId: 'a-person' };
    const body = JSON.stringify(sample);
    const res = await fetch(`${jiraSvc.url}/webhooks/jira`, {
      method: 'POST',
      body,
      headers: { ...signedHeaders('jira', SECRETS.jira, body), 'x-atlassian-webhook-identifier': 'jira-origin-1' },
    });
    expect(res.status).toBe(202);
    const mi = await eventually(async () => {
      const m = await jiraSvc.majorIncidents.openFor('identity');
      return m?.links.jira ? m : undefined;
    }, 8_000).finally(() => stopAndClean(jiraSvc));
    expect(mi.origin).toMatchObject({ source: 'jira', recordId: '20077' });
    // Only the origin branch links this pair; a create would have needed Jira, which nock refuses here.
    expect(mi.links.jira).toEqual({ key: 'IAM-77', id: '20077' });
  });
});
