import { afterEach, describe, expect, it } from 'vitest';
import { configCopy } from '../../helpers/config-dir.ts';
import { startFakeVendors, type Answer, type FakeVendors, type VendorCall } from '../../helpers/fake-vendors.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { signedHeaders } from '../../helpers/sign.ts';

/**
 * ARCHITECTURE §5: one vendor down does not slow the others, and when it comes back everything
 * is delivered once. Jira answers 503 while PagerDuty and Slack keep working; the outage ends
 * only after the other targets were delivered and Jira was refused for several seconds, so
 * "the others were not delayed" is an ordering, not a timing. The retry policy is made short
 * through rules.yaml `actions.retry` (the shipped one backs off up to 10 minutes).
 */

const PD_ROUTING_KEY = 'R0UT1NGKEYPAYR0LL0000000000000000';
const SN_URL = 'http://servicenow.invalid';
const SYS_ID = '0a7a9e00000000000000000000000001';
const OUTAGE_AT_LEAST_MS = 4_000;
const SLACK_CHANNELS = ['#major-incident-bridge', '#payroll-status', '#service-desk'];

let svc: TestService | undefined;
let fake: FakeVendors | undefined;
afterEach(async () => {
  if (svc) await stopAndClean(svc);
  await fake?.close();
  svc = undefined;
  fake = undefined;
});

const refuse = (headers: Record<string, string>): Answer => ({
  status: 503,
  headers,
  body: { errorMessages: ['Service Unavailable'] },
});

interface Outage {
  /** Jira refuses before doing anything. */
  readonly before?: (call: VendorCall) => Answer | undefined;
  /** Jira did it, but the answer is an error (a gateway timing out in front of a slow Jira). */
  readonly after?: (call: VendorCall) => Answer | undefined;
  /** Whether the create job that finally succeeds is the one that made the issue. */
  readonly created: boolean;
  /** Whether the create job can complete during the outage. */
  readonly completesDuringOutage?: boolean;
}

const OUTAGES: Array<[string, Outage]> = [
  ['plain 503s: the job backs off', { before: () => refuse({}), created: true }],
  [
    '503s with Retry-After: 1 — the Jira queue pauses, the others do not',
    { before: () => refuse({ 'retry-after': '1' }), created: true },
  ],
  // Reads answer; every write is done by Jira but answered 504 by a gateway in front of it.
  [
    '504s after Jira committed each write: the retry finds the issue by its label',
    {
      // Reads (GETs such as the project lookup, and the JQL search, a POST) answer; writes get the 504.
      after: (call) =>
        call.method !== 'GET' && call.path !== '/rest/api/3/search/jql'
          ? { status: 504, body: 'Gateway Timeout' }
          : undefined,
      created: false,
      completesDuringOutage: true,
    },
  ],
  // Issues work; only the remote-link endpoint is down. The create job treats its link as best
  // effort and completes; the link must still arrive once Jira's links work again.
  // FAILS today (a lost action): the playbook's jira.remote_link step ran while the issue did not
  // exist yet and completed as "linked when the issue is created", and the create's own link
  // failed, so nothing ever retries it. See the reliability report for the proposed fix.
  [
    '503s from the remote-link endpoint only: the link back to ServiceNow still arrives',
    {
      before: (call) => (/\/remotelink$/.test(call.path) ? refuse({}) : undefined),
      created: true,
      completesDuringOutage: true,
    },
  ],
];

describe('a Jira outage while PagerDuty and Slack work', () => {
  it.each(OUTAGES)(
    '%s; afterwards every Jira action arrives exactly once',
    async (_name, outage) => {
      fake = await startFakeVendors();
      const config = configCopy();
      config.edit('rules.yaml', (t) => `${t}\nactions:\n  retry: { base: 100ms, cap: 500ms, horizon: 1m }\n`);
      let jiraDown = true;
      fake.hooks.before = (call) => (call.vendor === 'jira' && jiraDown ? outage.before?.(call) : undefined);
      fake.hooks.after = (call) => (call.vendor === 'jira' && jiraDown ? outage.after?.(call) : undefined);
      svc = await startTestService(
        {
          MIM_CONFIG_DIR: config.dir,
          JIRA_URL: fake.url,
          JIRA_EMAIL: 'mim-bot@example.edu',
          JIRA_API_TOKEN: 'jira-token',
          PAGERDUTY_EVENTS_URL: fake.url,
          SLACK_API_URL: `${fake.url}/api`,
          SLACK_BOT_TOKEN: 'xoxb-test',
          SERVICENOW_URL: SN_URL,
        },
        { secrets: { MIM_ROUTE_PAGERDUTY_PAYROLL: PD_ROUTING_KEY } },
      );
      const service = svc;
      const vendors = fake;
      // The short policy from rules.yaml is the one the Jira worker uses.
      expect(service.logs.some((l) => l.includes('"target":"jira"') && l.includes('"baseMs":100,"capMs":500'))).toBe(
        true,
      );

      const body = JSON.stringify(snRecord({ sys_id: SYS_ID, sys_mod_count: '1' }));
      const res = await fetch(`${service.url}/webhooks/servicenow`, {
        method: 'POST',
        body,
        headers: signedHeaders('servicenow', SECRETS.servicenow, body),
      });
      expect(res.status).toBe(202);
      const outageFrom = Date.now();
      const mi = await eventually(() => service.majorIncidents.openFor('payroll'));

      // While Jira refuses: PagerDuty paged and every Slack channel told.
      const others = await eventually(async () => {
        const m = await service.majorIncidents.get(mi.id);
        return m?.links.pagerduty && Object.keys(m.links.slack ?? {}).length === SLACK_CHANNELS.length ? m : undefined;
      }, 10_000);
      expect(jiraDown).toBe(true);
      if (!outage.completesDuringOutage) expect(others.links.jira).toBeUndefined();
      await eventually(
        async () =>
          Date.now() - outageFrom >= OUTAGE_AT_LEAST_MS && vendors.calls.filter((c) => c.vendor === 'jira').length >= 3,
        10_000,
        100,
      );
      if (!outage.completesDuringOutage) expect(vendors.jira.issues).toHaveLength(0);
      expect(await service.actions.deadLetters.count()).toBe(0);
      const jiraQueue = service.actions.queues.get('jira');
      expect(await jiraQueue?.getFailedCount()).toBe(0);

      jiraDown = false;
      const done = await eventually(async () => {
        const m = await service.majorIncidents.get(mi.id);
        return m?.links.jira ? m : undefined;
      }, 10_000);
      // The create job's remote link goes out with it; let the queue settle before counting.
      await eventually(
        async () =>
          Object.values(
            (await jiraQueue?.getJobCounts('wait', 'active', 'delayed', 'prioritized')) ?? { unknown: 1 },
          ).every((n) => n === 0),
        5_000,
      );

      const refused = vendors.calls.filter((c) => c.vendor === 'jira' && (c.status ?? 0) >= 500);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      // Exactly once, each Jira action, as Jira holds it: one issue carrying the marker, one link back.
      expect(vendors.jira.issues).toHaveLength(1);
      expect(vendors.jira.issues[0]?.labels).toEqual([`mim-${mi.id}`]);
      expect(vendors.answered('jira', /^\/rest\/api\/3\/issue$/)).toHaveLength(outage.created ? 1 : 0);
      expect(done.links.jira).toEqual({ key: vendors.jira.issues[0]?.key, id: vendors.jira.issues[0]?.id });
      expect(vendors.jira.remoteLinks.get(vendors.jira.issues[0]?.key ?? '')).toEqual([
        expect.objectContaining({
          globalId: `mim-bridge:${mi.id}:servicenow`,
          object: expect.objectContaining({ url: `${SN_URL}/incident.do?sys_id=${SYS_ID}` }),
        }),
      ]);
      // And the others exactly once too, untouched by the Jira retries.
      expect(vendors.pagerduty.events).toHaveLength(1);
      expect(vendors.pagerduty.events[0]).toMatchObject({
        event_action: 'trigger',
        dedup_key: mi.id,
        routing_key: PD_ROUTING_KEY,
      });
      expect(vendors.slack.messages.map((m) => `${String(m.method)} ${String(m.channel)}`).sort()).toEqual(
        SLACK_CHANNELS.map((c) => `chat.postMessage ${c}`),
      );
      expect(await service.actions.deadLetters.count()).toBe(0);
      const timeline = await service.majorIncidents.timeline(mi.id);
      expect(timeline.filter((e) => e.kind === 'action.completed' && e.detail?.do === 'jira.create_issue')).toEqual([
        expect.objectContaining({
          detail: expect.objectContaining({ created: outage.created, key: vendors.jira.issues[0]?.key }),
        }),
      ]);
    },
    40_000,
  );
});
