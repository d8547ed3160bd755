import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';
import { jiraWebhook } from '../../helpers/jira-webhook.ts';
import { openApiErrors } from '../connectors/jira-openapi.ts';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';
import { jiraProjectLookup, SN_DATE_TIME, SN_USER_SYS_ID, snUserLookup } from '../../helpers/vendor-lookups.ts';

/**
 * A major incident that starts in ServiceNow, through its whole life, against nock at the HTTP
 * boundary: children linked with parent_incident, priority synced by field id with a conflict
 * recorded, a two-step Jira transition whose webhooks come back from an account we do not know
 * (only the fingerprints can tell they are ours), and the PIR at closure.
 */
const JIRA = 'http://jira.test';
const SN = 'http://servicenow.test';
const PD = 'http://pagerduty.test';
const SYS = 'b0000000000000000000000000000001';
const CHILD = 'b0000000000000000000000000000002';
let svc: TestService;
let miId = '';
const snPatches: Record<string, Array<Record<string, unknown>>> = { [SYS]: [], [CHILD]: [] };
const jiraPuts: Array<Record<string, unknown>> = [];
const transitions: string[] = [];
// biome-ignore lint/suspicious/noExplicitAny: request bodies as nock hands them over
const created: Array<Record<string, any>> = [];
let issueCategory: 'new' | 'indeterminate' | 'done' = 'new';

const post = async (source: 'servicenow' | 'jira', payload: unknown) => {
  const body = JSON.stringify(payload);
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source, SECRETS[source], body),
  });
  expect(res.status).toBe(202);
};
const timeline = async (kind: string) =>
  (await svc.majorIncidents.timeline(miId)).filter((e: TimelineEntry) => e.kind === kind);
const transition = (id: string, key: 'indeterminate' | 'done') => ({
  id,
  name: key,
  to: { id, name: key, statusCategory: { id: 1, key, name: key } },
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  svc = await startTestService(
    {
      JIRA_URL: JIRA,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      PAGERDUTY_EVENTS_URL: PD,
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'sn-password',
    },
    { secrets: { MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000' } },
  );
  // Accepting names the integration user as promoter: its sys_id is read once, first (before the body matchers).
  const userLookup = snUserLookup(SN);
  for (const sysId of [SYS, CHILD]) {
    nock(SN)
      .persist()
      .patch(`/api/now/table/incident/${sysId}`, (b) => {
        // A GET's empty body ('') is offered too.
        if (typeof b !== 'object') return false;
        if (sysId === CHILD && !('parent_incident' in b)) return false;
        snPatches[sysId]!.push(b);
        return true;
      })
      .reply(200, { result: { sys_id: sysId, number: sysId === SYS ? 'INC0010042' : 'INC0010043', state: '2' } });
  }
  // Accepting reads the record first (only a move names who and when: it is not accepted yet), and
  // servicenow.resolve reads it too: it already resolved (that is what resolved the MI).
  nock(SN)
    .persist()
    .get(`/api/now/table/incident/${SYS}`)
    .reply(200, { result: { sys_id: SYS, number: 'INC0010042', state: '6' } });
  nock(PD).persist().post('/v2/enqueue').reply(202, { status: 'success', dedup_key: 'x' });
  // PAY is a software project.
  jiraProjectLookup(JIRA);
  nock(JIRA)
    .persist()
    .post('/rest/api/3/search/jql')
    .reply(200, { issues: [], isLast: true })
    // nock offers every POST body to this matcher; only issue creations carry `fields.issuetype`.
    .post('/rest/api/3/issue', (b) => {
      if (!b.fields?.issuetype) return false;
      created.push(b);
      return true;
    })
    .reply(201, () =>
      (created.at(-1)!.fields.labels as string[])[0]!.endsWith('-pir')
        ? { id: '10043', key: 'PAY-43', self: 'x' }
        : { id: '10042', key: 'PAY-42', self: 'x' },
    )
    .post('/rest/api/3/issue/PAY-42/remotelink')
    .reply(201, { id: 1, self: 'x' })
    .put('/rest/api/3/issue/PAY-42', (b) => {
      if (!b.fields?.priority) return false;
      jiraPuts.push(b);
      return true;
    })
    .reply(204)
    .get('/rest/api/3/issue/PAY-42')
    .query({ fields: 'status' })
    .reply(200, () => ({
      id: '10042',
      key: 'PAY-42',
      fields: { status: { name: issueCategory, statusCategory: { id: 1, key: issueCategory, name: issueCategory } } },
    }))
    .get('/rest/api/3/issue/PAY-42/transitions')
    .reply(200, () => ({
      transitions: issueCategory === 'new' ? [transition('11', 'indeterminate')] : [transition('31', 'done')],
    }))
    .post('/rest/api/3/issue/PAY-42/transitions', (b) => {
      if (!b.transition) return false;
      transitions.push(b.transition.id);
      issueCategory = b.transition.id === '11' ? 'indeterminate' : 'done';
      return true;
    })
    .reply(204);

  await post('servicenow', snRecord({ sys_id: SYS, sys_mod_count: '1', sys_updated_on: '2026-11-20 09:00:00' }));
  const mi = await eventually(async () => {
    const open = await svc.majorIncidents.openFor('payroll');
    return open?.links.jira ? open : undefined;
  }, 8_000);
  miId = mi.id;
  await eventually(async () => userLookup.isDone());
});
afterAll(async () => {
  if (process.env.DUMP)
    console.log(
      svc.logs
        .filter((l) => /jira|error|warn/i.test(l))
        .slice(0, 8)
        .join(''),
    );
  await stopAndClean(svc);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a ServiceNow-origin major incident across systems', () => {
  it('accepts the record and writes the declared work note to it, from the technical template', async () => {
    await eventually(async () => snPatches[SYS]!.length >= 2);
    // Accepted as ServiceNow's own Promote action does: by the integration user, now (UTC).
    expect(snPatches[SYS]).toContainEqual({
      major_incident_state: 'accepted',
      promoted_by: SN_USER_SYS_ID,
      promoted_on: expect.stringMatching(SN_DATE_TIME),
      correlation_id: miId,
      correlation_display: 'mim-bridge',
    });
    // One work note: no message of the round is sent here (no Slack, Teams or email), so there is no round note.
    const notes = snPatches[SYS]!.filter((p) => 'work_notes' in p);
    expect(notes).toHaveLength(1);
    const note = notes[0];
    expect(Object.keys(note ?? {})).toEqual(['work_notes']);
    expect(String(note?.work_notes)).toMatch(/^MAJOR INCIDENT DECLARED — P1 — Payroll portal down for all staff/);
  });

  it('links an attached child to the parent with parent_incident, once', async () => {
    const child = snRecord({
      sys_id: CHILD,
      number: 'INC0010043',
      sys_mod_count: '0',
      sys_updated_on: '2026-11-20 09:01:00',
    });
    await post('servicenow', child);
    await eventually(async () => snPatches[CHILD]!.length === 1);
    expect(snPatches[CHILD]).toEqual([{ parent_incident: SYS }]);
    // The same child delivered again is already attached: no second link.
    await post('servicenow', { ...child, sys_mod_count: '1' });
    await eventually(async () => ((await svc.queue.getJobCounts('waiting', 'active')).waiting ?? 0) === 0);
    expect((await timeline('action.completed')).filter((e) => e.detail.do === 'servicenow.link_child')).toHaveLength(1);
  });

  it('syncs a priority change in ServiceNow (the owner) to the Jira issue, by field id', async () => {
    await post(
      'servicenow',
      wrapped(
        snRecord({
          sys_id: SYS,
          sys_mod_count: '4',
          sys_updated_on: '2026-11-20 09:10:00',
          priority: '2',
          impact: '1',
          urgency: '2',
        }),
        'update',
        ['impact', 'urgency', 'priority'],
      ),
    );
    await eventually(async () => jiraPuts.length === 1);
    const put = { fields: { priority: { name: 'High' } } };
    expect(jiraPuts[0]).toEqual(put);
    expect(await openApiErrors({ method: 'PUT', path: '/rest/api/3/issue/PAY-42', body: put })).toEqual([]);
    expect((await timeline('field.synced'))[0]?.detail).toMatchObject({
      field: 'priority',
      from: 1,
      to: 2,
      owner: 'servicenow',
      writes: ['jira.set_priority'],
    });
    expect((await svc.majorIncidents.get(miId))?.priority).toBe(2);
  });

  it(
    "records a conflict when Jira (not the owner) changes the priority, and writes ServiceNow's value " + 'back',
    async () => {
      await post(
        'jira',
        jiraWebhook('issue_updated.priority-raised', {
          id: '10042',
          key: 'PAY-42',
          priority: 'Low',
          accountId: 'resolver-1',
          timestamp: Date.parse('2026-11-20T09:12:00Z'),
          changed: ['priority'],
        }),
      );
      await eventually(async () => jiraPuts.length === 2);
      expect(jiraPuts[1]).toEqual({ fields: { priority: { name: 'High' } } });
      expect((await timeline('sync.conflict'))[0]?.detail).toMatchObject({
        field: 'priority',
        value: 4,
        kept: 2,
        owner: 'servicenow',
        reason: 'servicenow owns priority',
      });
      expect((await svc.majorIncidents.get(miId))?.priority).toBe(2);
    },
  );

  it(
    'resolves with a two-step Jira transition whose webhooks, from an account we were not told about, move ' +
      'nothing',
    async () => {
      await post(
        'servicenow',
        snRecord({
          sys_id: SYS,
          sys_mod_count: '5',
          sys_updated_on: '2026-11-20 09:30:00',
          state: '6',
          priority: '2',
          impact: '1',
          urgency: '2',
        }),
      );
      await eventually(async () => transitions.length === 2, 8_000);
      expect(transitions).toEqual(['11', '31']);
      expect((await svc.majorIncidents.get(miId))?.state).toBe('resolved');
      // The hops come back, in order, authored by an automation account mim-bridge does not know.
      const hop = (category: 'indeterminate' | 'done', at: string, changed: string[]) =>
        jiraWebhook('issue_updated.started-working', {
          id: '10042',
          key: 'PAY-42',
          priority: 'High',
          category,
          accountId: 'automation-for-jira',
          timestamp: Date.parse(at),
          changed,
        });
      await post('jira', hop('indeterminate', '2026-11-20T09:30:05Z', ['status']));
      await post('jira', hop('done', '2026-11-20T09:30:06Z', ['resolution', 'status']));
      await eventually(async () => (svc.logs.join('').match(/"result":"echo"/g) ?? []).length >= 2, 8_000);
      const mi = await svc.majorIncidents.get(miId);
      expect(mi?.state).toBe('resolved');
      expect((await timeline('state.changed')).map((e) => e.detail.to)).toEqual(['declared', 'resolved']);
    },
  );

  it('a person re-opening the Jira issue afterwards is not mistaken for us', async () => {
    const reopen = jiraWebhook('issue_updated.reopened', {
      id: '10042',
      key: 'PAY-42',
      priority: 'High',
      category: 'new',
      accountId: 'resolver-1',
      timestamp: Date.parse('2026-11-20T09:35:00Z'),
      changed: ['resolution', 'status'],
    });
    await post('jira', reopen);
    await eventually(async () => (await svc.majorIncidents.get(miId))?.state === 'declared', 8_000);
    // Resolve again from ServiceNow for the closure test.
    await post(
      'servicenow',
      snRecord({
        sys_id: SYS,
        sys_mod_count: '6',
        sys_updated_on: '2026-11-20 09:40:00',
        state: '6',
        priority: '2',
        impact: '1',
        urgency: '2',
      }),
    );
    await eventually(async () => (await svc.majorIncidents.get(miId))?.state === 'resolved', 8_000);
  });

  it('creates the post-incident review at closure, linked to the technical issue, due by the tier', async () => {
    await post(
      'servicenow',
      snRecord({
        sys_id: SYS,
        sys_mod_count: '7',
        sys_updated_on: '2026-11-20 10:00:00',
        state: '7',
        priority: '2',
        impact: '1',
        urgency: '2',
      }),
    );
    const mi = await eventually(async () => {
      const m = await svc.majorIncidents.get(miId);
      return m?.links.pir ? m : undefined;
    }, 8_000);
    expect(mi.state).toBe('closed');
    const pir = created.find((c) => (c.fields?.labels as string[] | undefined)?.includes(`mim-${miId}-pir`));
    expect(pir).toBeDefined();
    expect(pir!.fields).toMatchObject({
      project: { key: 'PAY' },
      issuetype: { name: 'Task' },
      summary: `PIR: [${miId}] Payroll portal down for all staff`,
      labels: [`mim-${miId}-pir`],
    });
    expect(pir!.update).toEqual({
      issuelinks: [{ add: { type: { name: 'Relates' }, outwardIssue: { key: 'PAY-42' } } }],
    });
    expect(await openApiErrors({ method: 'POST', path: '/rest/api/3/issue', body: pir })).toEqual([]);
    const due = new Date(Date.parse(mi.resolvedAt!) + 5 * 24 * 3600_000).toISOString();
    expect(mi.links.pir).toEqual({ key: 'PAY-43', dueAt: due, owner: 'head-of-payroll@example.edu' });
    expect(JSON.stringify(pir!.fields.description)).toContain(`Post-incident review for major incident ${miId}`);
    expect(created).toHaveLength(2);
  });
});

describe('the post-incident review', () => {
  it(
    'is complete when its Jira issue is done: recorded on the timeline, and no overdue reminder is ' + 'planned',
    async () => {
      await post(
        'jira',
        jiraWebhook('issue_updated.resolved', {
          id: '10043',
          key: 'PAY-43',
          priority: 'Medium',
          category: 'done',
          accountId: 'owner-1',
          timestamp: Date.parse('2026-11-24T10:00:00Z'),
          changed: ['resolution', 'status'],
        }),
      );
      const [done] = await eventually(async () => {
        const e = await timeline('pir.completed');
        return e.length ? e : undefined;
      }, 8_000);
      expect(done!.detail).toEqual({ pir: 'PAY-43', completedAt: '2026-11-24T10:00:00.000Z' });
      // The reminder that was planned goes with the next timer sync (it follows the change).
      await eventually(
        async () =>
          (await svc.timers!.queue.getJobs(['delayed', 'waiting'])).filter((j) => j.name === 'pir').length === 0,
        8_000,
      );
    },
  );
});
