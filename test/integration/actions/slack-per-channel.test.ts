import { Writable } from 'node:stream';
import { Queue, type Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatExecutor } from '../../../src/actions/chat.ts';
import { createSlackChat, createSlackClient } from '../../../src/connectors/slack/outbound.ts';
import { actionQueueName, type ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { ACTION_JOB_OPTIONS } from '../../../src/queue/actions/action-queues.ts';
import { startActionWorker } from '../../../src/queue/actions/action-worker.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { loadTemplates, type TemplateSet } from '../../../src/templates/index.ts';
import { createSlackSim, type SlackSim } from '../../../sandbox/slack/index.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually } from '../../helpers/service.ts';
import { declaredMi } from '../../unit/orchestrator/process/mi-fixture.ts';

/**
 * The Slack action queue against the Slack simulator, real Redis and BullMQ: about one post per
 * second per channel (the simulator answers 429 beyond it), channels in parallel, and the
 * status message edited by the channel id Slack answered (its chat.update refuses names).
 */
const CHANNELS = ['#payroll-status', '#it-status', '#library-systems'];
/** The whole-queue ceiling, well above one per second, so only the per-channel limit spaces posts. */
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

const notify = (majorIncidentId: string, channel: string, template: string, step = 0): ActionJob => ({
  majorIncidentId,
  do: 'notify',
  target: 'slack',
  effect: template,
  step,
  round: 0,
  channel,
  audience: 'payroll-users',
  params: { template, register: 'business' },
});

describe('Slack posts are limited per channel, and status edits use the channel id', () => {
  let t: ReturnType<typeof testRedis>;
  let sim: SlackSim;
  let queue: Queue;
  let worker: Worker | undefined;
  let blocking: ReturnType<typeof t.redis.duplicate> | undefined;
  let templates: TemplateSet;
  /** links.slack per major incident, as the store keeps them (`sub` → value). */
  const links = new Map<string, Record<string, string>>();

  const executor = () =>
    chatExecutor({
      chat: createSlackChat(createSlackClient({ apiUrl: sim.apiUrl(), token: sim.token }, { logger: silent })),
      load: async (id) => mi(id, links.get(id) ?? {}),
      service: () => ({ name: 'Payroll', tier: 1 }),
      templates: () => templates,
    });

  const start = (deadLetters: DeadLetters) => {
    blocking = t.redis.duplicate();
    worker = startActionWorker({
      connection: blocking,
      prefix: t.prefix,
      target: 'slack',
      deadLetters,
      logger: silent,
      limiter: WORKSPACE_CEILING,
      execute: executor(),
      record: {
        link: async (id, link) => {
          links.set(id, { ...links.get(id), [link.sub ?? '']: String(link.value) });
        },
        record: async () => {},
        timeline: async () => {},
      },
    });
  };

  beforeEach(async () => {
    t = testRedis();
    links.clear();
    templates = await loadTemplates('config/templates');
    // Burst 2: a third post to one channel within a second is answered 429 + Retry-After.
    sim = createSlackSim({ channels: CHANNELS, rateLimit: { perSecond: 1, burst: 2 } });
    await sim.listen();
    queue = new Queue(actionQueueName('slack'), { connection: t.redis, prefix: t.prefix });
  });
  afterEach(async () => {
    await worker?.close();
    await blocking?.quit();
    worker = undefined;
    blocking = undefined;
    await queue.close();
    await sim.close();
    await t.clean();
  });

  const posts = () => sim.requests.filter((r) => r.path.endsWith('/chat.postMessage'));
  const tsOf = (m: { ts: string }) => Number(m.ts);

  it('three channels get their first post before any channel gets its second, with no 429', async () => {
    // Queued channel by channel, as one audience's jobs would be: a queue-wide 1/s limit would
    // send #payroll-status its second post before #it-status had its first.
    const jobs = CHANNELS.flatMap((c) => [notify('MI-A', c, 'declared'), notify('MI-B', c, 'declared')]);
    await queue.addBulk(
      jobs.map((data, i) => ({ name: 'notify', data, opts: { ...ACTION_JOB_OPTIONS, jobId: `j${i}` } })),
    );
    const deadLetters = new DeadLetters(t.redis, t.prefix);
    start(deadLetters);

    await eventually(async () => CHANNELS.every((c) => sim.messages(c).length === 2), 15_000);

    const perChannel = CHANNELS.map((c) => sim.messages(c).map(tsOf));
    const firsts = perChannel.map((ts) => ts[0]!);
    const seconds = perChannel.map((ts) => ts[1]!);
    expect(Math.max(...firsts)).toBeLessThan(Math.min(...seconds));
    expect(posts().filter((r) => r.status === 429)).toEqual([]);
    expect(await deadLetters.list()).toEqual([]);
    // A job the channel put back never ran, so its next start is a first try: no lookup of an earlier post.
    expect(sim.requests.filter((r) => r.path.endsWith('/conversations.history'))).toEqual([]);
    const done = await Promise.all(jobs.map((_, i) => queue.getJob(`j${i}`)));
    // Put back, not failed: one attempt each (the completing one), no error recorded.
    expect(done.map((j) => [j?.attemptsMade, j?.stacktrace])).toEqual(jobs.map(() => [1, []]));
    expect(done.some((j) => (j?.progress as { channelDeferrals?: number } | undefined)?.channelDeferrals)).toBe(true);
  });

  it('an update edits the status message by the id Slack answered, not the #name audiences.yaml gives', async () => {
    const deadLetters = new DeadLetters(t.redis, t.prefix);
    start(deadLetters);
    await queue.add('notify', notify('MI-A', '#payroll-status', 'declared'), { ...ACTION_JOB_OPTIONS, jobId: 'd' });
    const channel = sim.channel('#payroll-status')!;
    await eventually(async () => links.get('MI-A')?.['#payroll-status']);
    const [status] = sim.messages('#payroll-status');
    expect(links.get('MI-A')).toEqual({ '#payroll-status': `${channel.id}/${status!.ts}` });

    await queue.add('notify', notify('MI-A', '#payroll-status', 'update', 1), { ...ACTION_JOB_OPTIONS, jobId: 'u' });
    await eventually(async () => (status!.edits.length === 1 && status!.replies.length === 1) || undefined, 10_000);
    expect(sim.messages('#payroll-status')).toHaveLength(1);
    expect(status!.text).toContain('Update: Payroll down MI-A');
    const updates = sim.requests.filter((r) => r.path.endsWith('/chat.update'));
    expect(updates.map((r) => [(r.body as { channel: string }).channel, r.status])).toEqual([[channel.id, 200]]);
    expect(await deadLetters.list()).toEqual([]);
  });

  it('a kept ts without its channel id is found by its metadata (conversations.history by id) and edited', async () => {
    const run = executor();
    const first = await run(notify('MI-C', '#it-status', 'declared'), { jobId: 'c1', firstTry: true });
    const channel = sim.channel('#it-status')!;
    const [status] = sim.messages('#it-status');
    expect(first.links).toEqual([{ system: 'slack', sub: '#it-status', value: `${channel.id}/${status!.ts}` }]);

    links.set('MI-C', { '#it-status': status!.ts });
    const again = await run(notify('MI-C', '#it-status', 'declared'), { jobId: 'c2', firstTry: true });
    expect(again.links).toEqual(first.links);
    expect(sim.messages('#it-status')).toHaveLength(1);
    expect(status!.edits).toHaveLength(1);
    const history = sim.requests.filter((r) => r.path.endsWith('/conversations.history'));
    expect(history.map((r) => (r.body as { channel: string }).channel)).toEqual([channel.id]);
  });

  it('the simulator refuses a channel name in chat.update, as Slack does', async () => {
    const client = createSlackClient({ apiUrl: sim.apiUrl(), token: sim.token }, { logger: silent });
    const meta = { incidentId: 'MI-D', jobId: 'j' };
    const posted = await client.postMessage({ channel: '#library-systems', text: 'one' }, meta);
    await expect(
      client.updateMessage({ channel: '#library-systems', ts: posted.ts, text: 'two' }, meta),
    ).rejects.toMatchObject({ code: 'SLACK_CHANNEL_NOT_FOUND', retryable: false });
    await client.updateMessage({ channel: posted.channel, ts: posted.ts, text: 'two' }, meta);
    expect(sim.messages('#library-systems').map((m) => m.text)).toEqual(['two']);
  });
});
