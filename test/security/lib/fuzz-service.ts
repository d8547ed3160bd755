import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { startChildService, type ChildService } from '../../helpers/child-service.ts';
import { startFakeVendors, type FakeVendors } from '../../helpers/fake-vendors.ts';
import { testRedis } from '../../helpers/redis.ts';
import { QUEUE_EVENTS } from '../../../src/queue/events-queue.ts';
import { actionQueueName, TARGETS } from '../../../src/domain/action.ts';
import { httpClient, type HttpClient } from './http-client.ts';

/** The plain token of the fuzz's viewer: the role the dry-run endpoints are open to. */
export const VIEWER_TOKEN = 'fuzz-viewer-token-0123456789';

/**
 * The real service as its own process (so "still alive" means something), on a fresh key prefix,
 * with PagerDuty and Slack answered by the fake vendors: actions the fuzzed events cause then
 * succeed, and a dead letter can only come from what the fuzz sent (Jira is left unconfigured:
 * the fake answers only the calls of issue creation, and its 404s would be letters of its own). Logs at `error`: a
 * 500 or a failed event is logged there, and 100,000 refused bodies are not kept in memory.
 */
export interface FuzzService {
  readonly svc: ChildService;
  readonly vendors: FakeVendors;
  readonly client: HttpClient;
  readonly redis: ReturnType<typeof testRedis>['redis'];
  readonly prefix: string;
  readonly events: Queue;
  readonly actions: Queue[];
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startFuzzService(concurrency: number): Promise<FuzzService> {
  const vendors = await startFakeVendors();
  const { redis, prefix, clean } = testRedis();
  const svc = await startChildService({
    LOG_LEVEL: 'error',
    MIM_REDIS_PREFIX: prefix,
    // The fuzz looks for bodies that break the service, not for Redis under a loaded CI machine's
    // pauses: a webhook waits up to 10 s for Redis, so any 503 left is a finding.
    MIM_INTAKE_REDIS_TIMEOUT_MS: '10000',
    MIM_ADMIN_TOKENS: `fuzz-viewer:viewer:sha256:${createHash('sha256').update(VIEWER_TOKEN).digest('hex')}`,
    MIM_ADMIN_RATE_LIMIT: '100000000',
    PAGERDUTY_EVENTS_URL: vendors.url,
    PAGERDUTY_ROUTING_KEY: 'fuzz-routing-key',
    SLACK_API_URL: `${vendors.url}/api`,
    SLACK_BOT_TOKEN: 'xoxb-fuzz',
  });
  const events = new Queue(QUEUE_EVENTS, { connection: redis, prefix });
  const actions = TARGETS.map((t) => new Queue(actionQueueName(t), { connection: redis, prefix }));
  const client = httpClient(svc.url, concurrency);
  return {
    svc,
    vendors,
    client,
    redis,
    prefix,
    events,
    actions,
    alive: () => svc.child.exitCode === null && svc.child.signalCode === null,
    stop: async () => {
      client.close();
      await Promise.all([events, ...actions].map((q) => q.close()));
      await svc.kill();
      await vendors.close();
      await clean();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until a queue has nothing waiting, running or delayed, twice in a row. Delayed jobs are
 * retries in backoff: `promote` moves them forward, so an event that fails every attempt reaches
 * the failed set in seconds instead of the minute its eight attempts' backoff would take.
 * Returns what was still queued when `deadlineMs` passed, or undefined once drained.
 */
export async function drain(
  queue: Queue,
  deadlineMs: number,
  promote: boolean,
): Promise<Record<string, number> | undefined> {
  const until = Date.now() + deadlineMs;
  let quiet = 0;
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (promote && (counts.delayed ?? 0) > 0) await queue.promoteJobs();
    quiet = Object.values(counts).every((n) => n === 0) ? quiet + 1 : 0;
    if (quiet >= 2) return undefined;
    if (Date.now() > until) return counts;
    await sleep(200);
  }
}
