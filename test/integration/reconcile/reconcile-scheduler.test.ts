import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents } from 'bullmq';
import nock from 'nock';
import { QUEUE_RECONCILE, RECONCILE_SCHEDULER_ID } from '../../../src/queue/reconcile-queue.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const SN = 'http://servicenow.test';
const env = (prefix: string, dir: string) => ({
  MIM_REDIS_PREFIX: prefix,
  MIM_ROLE: 'worker',
  MIM_CONFIG_DIR: dir,
  SERVICENOW_URL: SN,
  SERVICENOW_USERNAME: 'mim.integration',
  SERVICENOW_PASSWORD: 'sn-password',
});

const { redis, prefix, clean } = testRedis();
const config = configCopy();
let first: TestService;
let second: TestService;
let queue: Queue;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  // Two worker processes of one deployment: one scheduler between them.
  first = await startTestService(env(prefix, config.dir));
  second = await startTestService(env(prefix, config.dir));
  queue = new Queue(QUEUE_RECONCILE, { connection: redis, prefix });
});
afterAll(async () => {
  await queue.close();
  await second.stop();
  await stopAndClean(first);
  await clean();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('the reconcile job scheduler', () => {
  it('is registered once, at reconcile.intervalSeconds, with its first run one interval away', async () => {
    const scheduler = await eventually(() => queue.getJobScheduler(RECONCILE_SCHEDULER_ID));
    expect(scheduler.every).toBe(300_000);
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const delayed = await queue.getDelayed();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]!.timestamp + delayed[0]!.delay).toBeGreaterThan(Date.now() + 200_000);
  });

  it('takes a changed interval on config reload', async () => {
    config.edit('rules.yaml', (t) => t.replace(/intervalSeconds: 300/, 'intervalSeconds: 120'));
    expect((await first.config.reload('admin')).ok).toBe(true);
    const scheduler = await eventually(async () => {
      const s = await queue.getJobScheduler(RECONCILE_SCHEDULER_ID);
      return s?.every === 120_000 ? s : undefined;
    });
    expect(scheduler.every).toBe(120_000);
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('a reconcile job runs the reconciliation in a worker and records its outcome', async () => {
    const sweep = nock(SN)
      .get('/api/now/table/incident')
      .query(true)
      .basicAuth({ user: 'mim.integration', pass: 'sn-password' })
      .reply(200, { result: [] });
    const events = new QueueEvents(QUEUE_RECONCILE, { connection: redis.duplicate(), prefix });
    await events.waitUntilReady();
    const job = await queue.add('reconcile', {}, { jobId: 'manual-run' });
    expect(await job.waitUntilFinished(events, 8_000)).toBe('ok');
    await events.close();
    expect(sweep.isDone()).toBe(true);
  });
});
