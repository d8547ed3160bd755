import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';

const JIRA = 'http://jira.test';
const SLACK = 'http://slack.test';
const PD = 'http://pagerduty.test';
let svc: TestService;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  svc = await startTestService({
    JIRA_URL: JIRA, JIRA_EMAIL: 'mim-bot@example.edu', JIRA_API_TOKEN: 'jira-token', SLACK_API_URL: `${SLACK}/api`, SLACK_BOT_TOKEN: 'xoxb-test', PAGERDUTY_EVENTS_URL: PD,
  }, { secrets: { PAGERDUTY_ROUTING_KEY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000' } });
});
afterAll(async () => { await stopAndClean(svc); nock.cleanAll(); nock.enableNetConnect(); });

describe('the declare playbook across targets', () => {
  it('creates the Jira issue once (marker label), pages, and posts one status message per Slack channel', async () => {
    const posted: Array<Record<string, unknown>> = [];
    let created: Record<string, unknown> | undefined;
    const jira = nock(JIRA)
      .post('/rest/api/3/search/jql', (b) => typeof b.jql === 'string' && /^labels = "mim-MI-[A-Z0-9-]+"/.test(b.jql)).reply(200, { issues: [], isLast: true })
      .post('/rest/api/3/issue', (b) => { created = b; return true; }).reply(201, { id: '10042', key: 'PAY-42', self: `${JIRA}/rest/api/3/issue/10042` });
    const slack = nock(SLACK).post('/api/chat.postMessage', (b) => { posted.push(b); return true; }).times(3)
      .reply(200, { ok: true, channel: 'C0PAYROLL', ts: '1763800000.000100' });
    const pd = nock(PD).post('/v2/enqueue').reply(202, { status: 'success', dedup_key: 'x' });

    const body = JSON.stringify(snRecord({ sys_id: 'e2e00000000000000000000000000001', sys_mod_count: '1', short_description: 'Payroll portal down for all staff' }));
    expect((await fetch(`${svc.url}/webhooks/servicenow`, { method: 'POST', body, headers: signedHeaders('servicenow', SECRETS.servicenow, body) })).status).toBe(202);
    const mi = await eventually(() => svc.majorIncidents.openFor('payroll'));

    const done = await eventually(async () => {
      const m = await svc.majorIncidents.get(mi.id);
      return m?.links.jira && m.links.pagerduty && Object.keys(m.links.slack ?? {}).length === 3 ? m : undefined;
    }, 10_000);
    expect(done.links.jira).toEqual({ key: 'PAY-42', id: '10042' });
    expect(jira.isDone() && slack.isDone() && pd.isDone()).toBe(true);

    const fields = (created as { fields: Record<string, unknown> }).fields;
    expect(fields).toMatchObject({ project: { key: 'PAY' }, issuetype: { name: 'Task' }, summary: `[${mi.id}] Payroll portal down for all staff`, labels: [`mim-${mi.id}`], priority: { name: 'Highest' } });
    expect(JSON.stringify(fields.description)).toContain(`Major incident ${mi.id} (P1)`);
    expect(posted.map((p) => p.channel).sort()).toEqual(['#major-incident-bridge', '#payroll-status', '#service-desk']);
    expect(posted.every((p) => typeof p.text === 'string' && (p.text as string).startsWith('Major incident: Payroll portal down for all staff (P1)'))).toBe(true);
    // The Jira issue we created is now a record of this major incident: its webhooks are our own.
    expect((await svc.majorIncidents.findByRecord('jira/10042'))?.id).toBe(mi.id);
  });
});
