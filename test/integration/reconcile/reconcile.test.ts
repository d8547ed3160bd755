import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import nock from 'nock';
import { parseEnv } from '../../../src/config/env.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { SweepCursorStore } from '../../../src/reconcile/cursor-store.ts';
import { runReconcile, type ReconcileDeps } from '../../../src/reconcile/run-reconcile.ts';
import { reconcileDeps } from '../../../src/app/reconcile-runtime.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { snDisplayRow } from '../../helpers/servicenow-display-row.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const SN = 'http://servicenow.test';
const JIRA = 'http://jira.test';
const PD = 'http://pagerduty.test';
const SN_AUTH = { user: 'mim.integration', pass: 'sn-password' };
const NOW = new Date('2026-11-20T09:05:30.000Z');
const FIELDS = [
  'sys_id,number,short_description,description,state,impact,urgency,priority,major_incident_state,correlation_id',
  'close_code,close_notes,sys_updated_on,sys_updated_by,sys_mod_count,business_service,cmdb_ci,assignment_group',
  'assigned_to,caller_id,parent_incident',
].join(',');
const ROW_QUERY = { sysparm_display_value: 'all', sysparm_exclude_reference_link: 'true', sysparm_fields: FIELDS };
const JIRA_FIELDS = 'summary,status,priority,components,project,assignee,reporter,updated';

/** The Table API query of one sweep page, written out as ServiceNow receives it. */
const sweepPage = (date: string, time: string, offset: number, limit: number) => ({
  sysparm_query: `sys_updated_on>=javascript:gs.dateGenerate('${date}','${time}')^ORDERBYsys_updated_on^ORDERBYsys_id`,
  ...ROW_QUERY,
  sysparm_limit: String(limit),
  sysparm_offset: String(offset),
  sysparm_no_count: 'true',
});

/**
 * ServiceNow and Jira as the reconciliation sees them (the service itself runs without them, so no
 * playbook traffic).
 */
const vendorEnv = parseEnv({
  SERVICENOW_URL: SN,
  SERVICENOW_USERNAME: SN_AUTH.user,
  SERVICENOW_PASSWORD: SN_AUTH.pass,
  JIRA_URL: JIRA,
  JIRA_EMAIL: 'mim-bot@example.edu',
  JIRA_API_TOKEN: 'jira-token',
});

let svc: TestService;
const logs: string[] = [];
const logger = createLogger(
  'info',
  {},
  new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  }),
);

/** Identity (SSO) made tier 1, so a Highest Jira issue on IAM declares at once. */
const config = configCopy();
config.edit('services.yaml', (t) => t.replace(/(- id: identity\n(?:.*\n)*?\s+tier: )2/, '$11'));

function deps(over: Partial<ReconcileDeps> = {}): ReconcileDeps {
  const built = reconcileDeps({
    env: vendorEnv,
    config: svc.config,
    store: svc.majorIncidents,
    producer: svc.redis,
    blocking: svc.redis,
    keys: svc.keys,
    events: svc.queue,
    logger,
  })();
  return { ...built, now: () => NOW, ...over };
}

function jiraSample() {
  const sample = JSON.parse(readFileSync('test/fixtures/jira/issue_created.cloud.json', 'utf8'));
  sample.issue.id = '20077';
  sample.issue.key = 'IAM-77';
  sample.issue.fields.project = { ...sample.issue.fields.project, key: 'IAM' };
  sample.issue.fields.priority = { ...sample.issue.fields.priority, name: 'Highest' };
  sample.issue.fields.summary = 'SSO login fails for everyone';
  sample.issue.fields.components = [{ name: 'SSO' }];
  sample.user = { ...sample.user, accountId: 'a-person' };
  return sample;
}

/** A major incident that starts in Jira (IAM-77), declared from its webhook. */
async function jiraOriginMi() {
  const body = JSON.stringify(jiraSample());
  const res = await fetch(`${svc.url}/webhooks/jira`, {
    method: 'POST',
    body,
    headers: { ...signedHeaders('jira', SECRETS.jira, body), 'x-atlassian-webhook-identifier': 'jira-origin-1' },
  });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const m = await svc.majorIncidents.openFor('identity');
    // Jira is not configured on the service, so no link is made: the origin issue itself is read back.
    return m?.state === 'declared' ? m : undefined;
  }, 8_000);
}

/** IAM-77 as GET /rest/api/3/issue returns it after someone resolved it in Jira, a minute after the webhook. */
function iam77Resolved() {
  const { issue, timestamp } = jiraSample();
  const updated = new Date(timestamp + 60_000).toISOString().replace('Z', '+0000');
  return {
    ...issue,
    fields: {
      ...issue.fields,
      updated,
      description: { type: 'doc', version: 1, content: [] },
      status: { name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done' } },
    },
  };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
});
afterAll(() => {
  nock.enableNetConnect();
});

async function start(): Promise<void> {
  nock(PD).persist().post('/v2/enqueue').reply(202, { status: 'success', message: 'Event processed', dedup_key: 'x' });
  svc = await startTestService(
    { PAGERDUTY_EVENTS_URL: PD, MIM_CONFIG_DIR: config.dir },
    { secrets: { MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000' } },
  );
}
afterEach(async () => {
  await stopAndClean(svc);
  nock.cleanAll();
  logs.length = 0;
});

describe('reconciliation: the ServiceNow sweep', () => {
  it(
    'finds an incident whose webhook never came, pages by sys_updated_on, and the orchestrator makes it a major ' +
      'incident',
    async () => {
      await start();
      const SYS = 'e2e00000000000000000000000000a01';
      const quiet = snDisplayRow({
        sys_id: 'e2e00000000000000000000000000a00',
        number: 'INC0010100',
        priority: '4',
        impact: '3',
        urgency: '3',
        short_description: 'Printer jam',
        sys_updated_on: '2026-11-20 09:01:00',
        sys_mod_count: '0',
      });
      const major = snDisplayRow({
        sys_id: SYS,
        number: 'INC0010101',
        sys_updated_on: '2026-11-20 09:02:00',
        sys_mod_count: '1',
      });
      const sn = nock(SN)
        // First run: one interval (300 s) before now; pages of two.
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '09:00:30', 0, 2))
        .basicAuth(SN_AUTH)
        .reply(200, { result: [quiet, major] })
        // The next page starts at the newest second of the first, past the one row already taken there.
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '09:02:00', 1, 2))
        .basicAuth(SN_AUTH)
        .reply(200, { result: [] });
      // The new major incident's origin is read back too, if it is open before the run gets there.
      nock(SN).get(`/api/now/table/incident/${SYS}`).query(ROW_QUERY).optionally().reply(200, { result: major });

      const summary = await runReconcile(deps({ pageSize: 2, jira: undefined }));
      expect(sn.isDone()).toBe(true);
      expect(summary).toMatchObject({
        outcome: 'ok',
        rowsSwept: 2,
        errors: 0,
        invalid: 0,
        cursor: '2026-11-20 09:02:00',
      });
      expect(summary.enqueued).toBe(2);

      const mi = await eventually(() => svc.majorIncidents.openFor('payroll'), 8_000);
      expect(mi.origin).toMatchObject({ source: 'servicenow', recordId: SYS, number: 'INC0010101' });
      expect(mi.state).toBe('declared');
      expect(await new SweepCursorStore(svc.redis, svc.keys.prefix).get()).toEqual({
        at: '2026-11-20 09:02:00',
        seen: [`${SYS}@1`],
      });
      const line = logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'reconcile run finished');
      expect(line).toMatchObject({ outcome: 'ok', rowsSwept: 2, enqueued: 2, duplicates: 0, errors: 0 });

      // The next run starts at the stored cursor; the row taken there is not taken again, and the open major
      // incident's origin re-read is a duplicate.
      nock.cleanAll();
      const again = nock(SN)
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '09:02:00', 0, 2))
        .basicAuth(SN_AUTH)
        .reply(200, { result: [major] })
        .get(`/api/now/table/incident/${SYS}`)
        .query(ROW_QUERY)
        .basicAuth(SN_AUTH)
        .reply(200, { result: major });
      const second = await runReconcile(
        deps({ pageSize: 2, jira: undefined, now: () => new Date(NOW.getTime() + 300_000) }),
      );
      expect(again.isDone()).toBe(true);
      expect(second).toMatchObject({
        outcome: 'ok',
        rowsSwept: 1,
        enqueued: 0,
        duplicates: 1,
        recordsRead: 1,
        openMajorIncidents: 1,
      });
    },
  );

  it(
    'recognises a row whose webhook did arrive as a duplicate (same sys_id@sys_mod_count), and a later update of ' +
      'it as new',
    async () => {
      await start();
      const SYS = 'e2e00000000000000000000000000b01';
      const fields = {
        sys_id: SYS,
        number: 'INC0010200',
        priority: '4',
        impact: '3',
        urgency: '3',
        short_description: 'Slow wifi in the library',
        sys_updated_on: '2026-11-20 09:03:00',
        sys_mod_count: '5',
      };
      const body = JSON.stringify(snRecord(fields));
      expect(
        (
          await fetch(`${svc.url}/webhooks/servicenow`, {
            method: 'POST',
            body,
            headers: signedHeaders('servicenow', SECRETS.servicenow, body),
          })
        ).status,
      ).toBe(202);

      const later = snDisplayRow({ ...fields, sys_updated_on: '2026-11-20 09:04:00', sys_mod_count: '6' });
      const sn = nock(SN)
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '09:00:30', 0, 100))
        .basicAuth(SN_AUTH)
        .reply(200, { result: [snDisplayRow(fields), later] });
      const summary = await runReconcile(deps({ jira: undefined }));
      expect(sn.isDone()).toBe(true);
      expect(summary).toMatchObject({ outcome: 'ok', rowsSwept: 2, enqueued: 1, duplicates: 1, errors: 0 });
      // One job per delivery: the webhook's, and the sweep's for the later update.
      expect(await svc.queue.getJob(`servicenow.${SYS}@5`)).toBeDefined();
      expect(await svc.queue.getJob(`servicenow.${SYS}@6`)).toBeDefined();
    },
  );

  it(
    'a failing ServiceNow keeps its cursor (the next run sweeps the same range) and does not stop the Jira ' + 'part',
    async () => {
      await start();
      const mi = await jiraOriginMi();
      const cursor = new SweepCursorStore(svc.redis, svc.keys.prefix);
      await cursor.set({ at: '2026-11-20 08:55:00', seen: ['e2e00000000000000000000000000c00@2'] });

      nock(SN)
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '08:55:00', 0, 100))
        .basicAuth(SN_AUTH)
        .reply(500, { error: { message: 'boom' } });
      const jira = nock(JIRA)
        .get('/rest/api/3/issue/IAM-77')
        .query({ fields: JIRA_FIELDS })
        .reply(200, iam77Resolved());
      const failed = await runReconcile(deps());
      expect(failed).toMatchObject({ outcome: 'partial', errors: 1, recordsRead: 1, enqueued: 1 });
      expect(failed.cursor).toBe(undefined);
      expect(jira.isDone()).toBe(true);
      expect(await cursor.get()).toEqual({ at: '2026-11-20 08:55:00', seen: ['e2e00000000000000000000000000c00@2'] });
      await eventually(async () => (await svc.majorIncidents.get(mi.id))?.state === 'resolved', 8_000);

      // ServiceNow is back: the same range again, and now the cursor moves.
      const row = snDisplayRow({
        sys_id: 'e2e00000000000000000000000000c01',
        priority: '4',
        impact: '3',
        urgency: '3',
        sys_updated_on: '2026-11-20 08:58:00',
        sys_mod_count: '1',
      });
      const retried = nock(SN)
        .get('/api/now/table/incident')
        .query(sweepPage('2026-11-20', '08:55:00', 0, 100))
        .basicAuth(SN_AUTH)
        .reply(200, { result: [row] });
      const ok = await runReconcile(deps());
      expect(retried.isDone()).toBe(true);
      expect(ok).toMatchObject({ outcome: 'ok', errors: 0, cursor: '2026-11-20 08:58:00' });
      expect(await cursor.get()).toEqual({ at: '2026-11-20 08:58:00', seen: ['e2e00000000000000000000000000c01@1'] });
    },
  );
});

describe('reconciliation: linked records of open major incidents', () => {
  it(
    'a Jira-origin major incident whose issue was resolved without a webhook is resolved on the next ' + 'run',
    async () => {
      await start();
      const mi = await jiraOriginMi();
      const jira = nock(JIRA)
        .get('/rest/api/3/issue/IAM-77')
        .query({ fields: JIRA_FIELDS })
        .basicAuth({ user: 'mim-bot@example.edu', pass: 'jira-token' })
        .reply(200, iam77Resolved());
      const summary = await runReconcile(deps({ servicenow: undefined }));
      expect(jira.isDone()).toBe(true);
      expect(summary).toMatchObject({ outcome: 'ok', openMajorIncidents: 1, recordsRead: 1, enqueued: 1, errors: 0 });
      const resolved = await eventually(async () => {
        const m = await svc.majorIncidents.get(mi.id);
        return m?.state === 'resolved' ? m : undefined;
      }, 8_000);
      expect(resolved.resolvedAt).toBeDefined();
    },
  );

  it('a Jira read that fails is counted, and the run goes on', async () => {
    await start();
    await jiraOriginMi();
    const jira = nock(JIRA)
      .get('/rest/api/3/issue/IAM-77')
      .query({ fields: JIRA_FIELDS })
      .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });
    const summary = await runReconcile(deps({ servicenow: undefined }));
    expect(jira.isDone()).toBe(true);
    expect(summary).toMatchObject({ outcome: 'failed', recordsRead: 0, errors: 1, enqueued: 0 });
    expect((await svc.majorIncidents.openFor('identity'))?.state).toBe('declared');
  });
});
