import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { MiStore } from '../../../src/store/mi-store.ts';
import { actionQueueName } from '../../../src/domain/action.ts';
import { killAllChildren, startChildService, type ChildService } from '../../helpers/child-service.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { startFakeVendors, type VendorCall } from '../../helpers/fake-vendors.ts';
import { testRedis } from '../../helpers/redis.ts';
import { SECRETS, eventually } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { signedHeaders } from '../../helpers/sign.ts';

/**
 * ARCHITECTURE §5: "a worker killed mid-call never creates a duplicate". The service runs as a
 * real child process on real Redis; Jira and PagerDuty are a fake HTTP server in this process.
 * The child is SIGKILLed while the Jira create-issue job is active, a second child starts on
 * the same prefix, and BullMQ's stalled-job check hands it the job again.
 *
 * Timing: MIM_WORKER_LOCK_MS and MIM_WORKER_STALLED_INTERVAL_MS are shortened to 2 s, so the
 * dead worker's lock lapses and the next stalled check hands the job on within seconds (with
 * the 30 s defaults the re-run comes about a minute later). The two scenarios run concurrently.
 */

const STALL_RECOVERY_MS = 30_000;
const PD_ROUTING_KEY = 'R0UT1NGKEYPAYR0LL0000000000000000';
const SN_URL = 'http://servicenow.invalid';
const SYS_ID = 'a11ce000000000000000000000000001';

afterAll(killAllChildren);

type KillPoint = (call: VendorCall, issuesSoFar: number) => boolean;

async function killMidAction(killWhen: KillPoint) {
  const { redis, prefix, clean } = testRedis();
  const fake = await startFakeVendors();
  const config = configCopy();
  const env = {
    MIM_REDIS_PREFIX: prefix,
    MIM_CONFIG_DIR: config.dir,
    MIM_WORKER_LOCK_MS: '2000',
    MIM_WORKER_STALLED_INTERVAL_MS: '2000',
    JIRA_URL: fake.url,
    JIRA_EMAIL: 'mim-bot@example.edu',
    JIRA_API_TOKEN: 'jira-token',
    PAGERDUTY_EVENTS_URL: fake.url,
    MIM_ROUTE_PAGERDUTY_PAYROLL: PD_ROUTING_KEY,
    // Only the base URL, for the Jira remote link back to the record; no ServiceNow executor.
    SERVICENOW_URL: SN_URL,
  };
  const children: ChildService[] = [];
  const cleanup = async () => {
    await Promise.all(children.map((c) => c.kill()));
    await fake.close();
    await clean();
  };
  try {
    const first = await startChildService(env);
    children.push(first);
    let killedAt: VendorCall | undefined;
    fake.hooks.beforeAnswer = async (call) => {
      if (killedAt || !killWhen(call, fake.jira.issues.length)) return;
      killedAt = call;
      // The vendor has done its part; the worker never hears about it.
      await first.kill();
    };

    const body = JSON.stringify(snRecord({ sys_id: SYS_ID, sys_mod_count: '1' }));
    const res = await fetch(`${first.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
    expect(res.status).toBe(202);
    await eventually(async () => first.child.signalCode === 'SIGKILL', 15_000, 50);
    expect(killedAt).toBeDefined();
    expect(fake.jira.issues).toHaveLength(1);

    const store = new MiStore<MajorIncident, TimelineEntry>(redis, prefix);
    const mi = await store.openFor('payroll');
    if (!mi) throw new Error('no major incident was declared before the kill');
    expect(mi.links.jira).toBeUndefined();
    // The create job is still active (its lock not yet expired), held by a dead worker.
    const jiraQueue = new Queue(actionQueueName('jira'), { connection: redis, prefix });
    const active = await jiraQueue.getActive();
    expect(active.map((j) => j.name)).toContain('jira.create_issue');
    const jobId = active.find((j) => j.name === 'jira.create_issue')?.id ?? '';

    const second = await startChildService(env);
    children.push(second);
    const done = await eventually(
      async () => {
        const m = await store.get(mi.id);
        return m?.links.jira ? m : undefined;
      },
      STALL_RECOVERY_MS,
      250,
    );
    const job = await eventually(async () => {
      const j = await jiraQueue.getJob(jobId);
      return (await j?.getState()) === 'completed' ? j : undefined;
    }, 5_000);
    const timeline = await store.timeline(mi.id);
    await jiraQueue.close();
    return { fake, mi: done, job, timeline, killedAt: killedAt as VendorCall, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function expectOneIssueAndOnePage(r: Awaited<ReturnType<typeof killMidAction>>) {
  const mine = r.fake.jira.issues.filter((i) => i.labels.includes(`mim-${r.mi.id}`));
  expect(mine).toHaveLength(1);
  expect(r.fake.jira.issues).toHaveLength(1);
  expect(r.mi.links.jira).toEqual({ key: mine[0]?.key, id: mine[0]?.id });
  // The re-run found the issue by its marker label instead of creating another.
  const completed = r.timeline.filter((e) => e.kind === 'action.completed' && e.detail?.do === 'jira.create_issue');
  expect(completed).toHaveLength(1);
  expect(completed[0]?.detail).toMatchObject({ key: mine[0]?.key, created: false });
  expect(r.job.attemptsStarted).toBeGreaterThanOrEqual(2);
  // PagerDuty: every trigger (one, or two if its job was in flight at the kill) under the MI's dedup key.
  const triggers = r.fake.pagerduty.events.filter((e) => e.event_action === 'trigger');
  expect(triggers.length).toBeGreaterThanOrEqual(1);
  expect(new Set(triggers.map((e) => e.dedup_key))).toEqual(new Set([r.mi.id]));
  expect(r.mi.links.pagerduty).toEqual({ dedupKey: r.mi.id });
}

describe.concurrent('a worker SIGKILLed in the middle of a Jira action', () => {
  it(
    'killed after Jira created the issue but before its answer arrived: the re-run finds it by label; one issue, ' +
      'one PagerDuty alert',
    async ({ onTestFinished }) => {
      const r = await killMidAction((call) => call.method === 'POST' && call.path === '/rest/api/3/issue');
      onTestFinished(r.cleanup);
      expect(r.killedAt.status).toBe(201);
      expectOneIssueAndOnePage(r);
      // Two searches by label (one per run), one create.
      expect(r.fake.calls.filter((c) => c.path === '/rest/api/3/search/jql')).toHaveLength(2);
      expect(r.fake.calls.filter((c) => c.path === '/rest/api/3/issue')).toHaveLength(1);
    },
    STALL_RECOVERY_MS + 20_000,
  );

  it(
    'killed after Jira answered, on the next request of the job (the remote link): the key is not lost, no second ' +
      'issue, one remote link',
    async ({ onTestFinished }) => {
      const r = await killMidAction((call, issues) => issues === 1 && /\/remotelink$/.test(call.path));
      onTestFinished(r.cleanup);
      expectOneIssueAndOnePage(r);
      const key = r.mi.links.jira?.key ?? '';
      expect(r.fake.calls.filter((c) => c.path === '/rest/api/3/issue')).toHaveLength(1);
      // The same globalId both times: the repeat updated the one link in place.
      expect(r.fake.answered('jira', /\/remotelink$/).length).toBeGreaterThanOrEqual(2);
      expect(r.fake.jira.remoteLinks.get(key)).toEqual([
        expect.objectContaining({ globalId: `mim-bridge:${r.mi.id}:servicenow` }),
      ]);
    },
    STALL_RECOVERY_MS + 20_000,
  );
});
