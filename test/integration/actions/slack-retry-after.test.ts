import { Writable } from 'node:stream';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatExecutor } from '../../../src/actions/chat.ts';
import { createSlackChat, createSlackClient } from '../../../src/connectors/slack/outbound.ts';
import { actionQueueName, type ActionExecutor, type ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { ACTION_JOB_OPTIONS } from '../../../src/queue/actions/action-queues.ts';
import { startActionWorker } from '../../../src/queue/actions/action-worker.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { loadTemplates, type TemplateSet } from '../../../src/templates/index.ts';
import type { RecordedRequest } from '../../../sandbox/shared/sim-server.ts';
import { createSlackSim, type SlackSim } from '../../../sandbox/slack/index.ts';
import { slackWaits } from '../../chaos/lib/vendor-outage.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually } from '../../helpers/service.ts';
import { declaredMi } from '../../unit/orchestrator/process/mi-fixture.ts';

/**
 * A Slack 429 against the simulator, real Redis and BullMQ (two workers, as two processes of the
 * service would run): the channel it was for is not posted to before Retry-After has passed, jobs
 * that start after it wait too (the pause is the queue's, in Redis, not one worker's), and a job
 * that had already started for another channel still posts. Slack limits chat.postMessage per
 * channel, so that post is within the rule; slackWaits, the chaos run's check, must tell the two
 * apart: https://docs.slack.dev/apis/web-api/rate-limits
 */
const [FIRST, SECOND, LATER] = ['#payroll-status', '#it-status', '#library-systems'] as const;
const RETRY_AFTER_S = 2;
/** The whole-queue ceiling, well above the posts here, so only the 429 holds them back. */
const WORKSPACE_CEILING = { max: 20, duration: 1_000 };

const silent = createLogger(
  'silent',
  {},
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  }),
);

/** A declared P1 on Payroll whose status messages are in `links` (channel → id/ts). */
const mi = (id: string, links: Record<string, string>): MajorIncident =>
  declaredMi({ id, title: `Payroll down ${id}`, priority: 1, roles: {}, links: { slack: links } });

const declared = (channel: string): ActionJob => ({
  majorIncidentId: 'MI-1',
  do: 'notify',
  target: 'slack',
  effect: 'declared',
  step: 0,
  round: 0,
  channel,
  audience: 'payroll-users',
  params: { template: 'declared', register: 'business' },
});

const at = (r: RecordedRequest) => Date.parse(r.at);
const bodyChannel = (r: RecordedRequest) => (r.body as { channel?: string }).channel;

describe('Slack Retry-After: a 429 holds its channel and the queue; a post under way elsewhere goes on', () => {
  let t: ReturnType<typeof testRedis>;
  let sim: SlackSim;
  let queue: Queue;
  let templates: TemplateSet;
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const links = new Map<string, Record<string, string>>();

  beforeEach(async () => {
    t = testRedis();
    links.clear();
    templates = await loadTemplates('config/templates');
    sim = createSlackSim({ channels: [FIRST, SECOND, LATER] });
    await sim.listen();
    queue = new Queue(actionQueueName('slack'), { connection: t.redis, prefix: t.prefix });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await Promise.all(connections.splice(0).map((c) => c.quit()));
    await queue.close();
    await sim.close();
    await t.clean();
  });

  const posts = () => sim.requests.filter((r) => r.path.endsWith('/chat.postMessage'));
  const postsTo = (ref: string) =>
    posts().filter((r) => sim.channel(bodyChannel(r) ?? '')?.id === sim.channel(ref)?.id);
  const limited = () => posts().find((r) => r.status === 429);

  const start = (execute: ActionExecutor, deadLetters: DeadLetters) => {
    const connection = t.redis.duplicate();
    connections.push(connection);
    workers.push(
      startActionWorker({
        connection,
        prefix: t.prefix,
        target: 'slack',
        deadLetters,
        logger: silent,
        limiter: WORKSPACE_CEILING,
        execute,
        record: {
          link: async (id, link) => {
            links.set(id, { ...links.get(id), [link.sub ?? '']: String(link.value) });
          },
          record: async () => {},
          timeline: async () => {},
        },
      }),
    );
  };

  it('posts to the 429 channel and jobs started after it wait Retry-After; the job already started posts', async () => {
    const chat = createSlackChat(createSlackClient({ apiUrl: sim.apiUrl(), token: sim.token }, { logger: silent }));
    const post = chatExecutor({
      chat,
      load: async (id) => mi(id, links.get(id) ?? {}),
      service: () => ({ name: 'Payroll', tier: 1 }),
      templates: () => templates,
    });
    const started: string[] = [];
    // Both jobs are active before FIRST's post is answered 429, and SECOND's post reaches Slack just
    // after that answer, as the chaos run's second declaration message did.
    const execute: ActionExecutor = async (job, ctx) => {
      started.push(job.channel ?? '');
      if (job.channel === FIRST) await eventually(async () => started.includes(SECOND), 5_000, 5);
      if (job.channel === SECOND && !limited()) await eventually(async () => limited(), 5_000, 5);
      return post(job, ctx);
    };
    sim.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: RETRY_AFTER_S, path: /chat\.postMessage$/ });
    const deadLetters = new DeadLetters(t.redis, t.prefix);
    start(execute, deadLetters);
    start(execute, deadLetters);
    await queue.addBulk(
      [FIRST, SECOND].map((c, i) => ({
        name: 'notify',
        data: declared(c),
        opts: { ...ACTION_JOB_OPTIONS, jobId: `j${i}` },
      })),
    );

    const the429 = await eventually(async () => limited(), 5_000, 5);
    expect(bodyChannel(the429)).toBe(FIRST);
    // The pause is the queue's, in Redis, where both workers' moveToActive reads it.
    const ttl = await eventually(async () => (await queue.getRateLimitTtl(WORKSPACE_CEILING.max)) || undefined);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(RETRY_AFTER_S * 1000);
    await queue.add('notify', declared(LATER), { ...ACTION_JOB_OPTIONS, jobId: 'later' });

    await eventually(async () => [FIRST, SECOND, LATER].every((c) => sim.messages(c).length === 1), 10_000);
    const until = at(the429) + RETRY_AFTER_S * 1000;
    // SECOND's job had started: its post went out inside FIRST's Retry-After, to another channel.
    expect(postsTo(SECOND).map((r) => [at(r) < until, r.status])).toEqual([[true, 200]]);
    // FIRST's retry and LATER's job, which started after the 429, waited it out.
    expect(postsTo(FIRST).map((r) => [at(r) >= until, r.status])).toEqual([
      [false, 429],
      [true, 200],
    ]);
    expect(postsTo(LATER).map((r) => [at(r) >= until, r.status])).toEqual([[true, 200]]);
    expect((await queue.getJob('later'))?.processedOn).toBeGreaterThanOrEqual(until);

    const waits = slackWaits(sim.requests, RETRY_AFTER_S * 1000, (ref) => sim.channel(ref)?.id);
    expect(waits.early).toEqual([]);
    expect(waits.otherChannels).toHaveLength(1);
    expect(waits.otherChannels[0]).toMatch(new RegExp(`${FIRST} → \\S+ ${SECOND}$`));
    expect(await deadLetters.list()).toEqual([]);
  });

  it('the check reports a post to the 429 channel inside Retry-After, named by #name or by id', async () => {
    const client = createSlackClient({ apiUrl: sim.apiUrl(), token: sim.token }, { logger: silent });
    const meta = { incidentId: 'MI-2', jobId: 'j' };
    const status = await client.postMessage({ channel: FIRST, text: 'status' }, meta);
    sim.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: RETRY_AFTER_S, path: /chat\.postMessage$/ });
    await expect(client.postMessage({ channel: FIRST, text: 'too soon' }, meta)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: RETRY_AFTER_S * 1000,
    });
    // A client that ignores Retry-After: a reply in the thread (by id), then a post elsewhere.
    await client.postMessage({ channel: status.channel, threadTs: status.ts, text: 'reply' }, meta);
    await client.postMessage({ channel: SECOND, text: 'elsewhere' }, meta);

    const waits = slackWaits(sim.requests, RETRY_AFTER_S * 1000, (ref) => sim.channel(ref)?.id);
    expect(waits.early).toHaveLength(1);
    expect(waits.early[0]).toMatch(new RegExp(`${FIRST} → \\S+ ${status.channel}$`));
    expect(waits.otherChannels).toHaveLength(1);
    expect(waits.otherChannels[0]).toMatch(new RegExp(`${FIRST} → \\S+ ${SECOND}$`));
  });
});
