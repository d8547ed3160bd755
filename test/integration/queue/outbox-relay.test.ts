import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { actionQueueName, type ActionEnvelope as ActionJob, type Target } from '../../../src/domain/action.ts';
import { drainOutbox } from '../../../src/queue/actions/outbox-relay.ts';
import { testRedis } from '../../helpers/redis.ts';

/**
 * The relay against a real Redis and real BullMQ queues: every entry reaches its queue once, in
 * order, and leaves the outbox.
 */
describe('outbox relay', () => {
  let t: ReturnType<typeof testRedis>;
  let queues: Map<Target, Queue>;
  let lines: string[];
  const logger = () =>
    createLogger(
      'warn',
      {},
      new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
  const job = (target: Target, step: number): ActionJob => ({
    majorIncidentId: 'MI-1',
    do: `${target}.post`,
    effect: 'declared',
    step,
    target,
    params: {},
    round: 0,
  });

  beforeEach(() => {
    t = testRedis();
    lines = [];
    queues = new Map(
      (['pagerduty', 'slack', 'jira'] as const).map((target) => [
        target,
        new Queue(actionQueueName(target), { connection: t.redis, prefix: t.prefix }),
      ]),
    );
  });
  afterEach(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await t.clean();
  });

  it(
    'moves 250 entries across batches to their queues in outbox order, drops what it cannot queue with a log line, ' +
      'and empties the outbox',
    async () => {
      const outbox = `${t.prefix}:outbox`;
      const entries = Array.from({ length: 250 }, (_, i) => job((['pagerduty', 'slack', 'jira'] as const)[i % 3]!, i));
      await t.redis.rpush(
        outbox,
        ...entries.map((e) => JSON.stringify(e)),
        JSON.stringify(job('teams', 999)),
        '{"majorIncidentId":"nope"}',
      );

      expect(await drainOutbox(t.redis, outbox, queues, logger())).toBe(252);

      expect(await t.redis.llen(outbox)).toBe(0);
      for (const [target, queue] of queues) {
        const waiting = await queue.getWaiting(0, -1);
        // getWaiting lists oldest first.
        expect(waiting.map((j) => j.data.step)).toEqual(entries.filter((e) => e.target === target).map((e) => e.step));
        expect(waiting.every((j) => j.id === `MI-1.declared.${j.data.step}.${target}_post`)).toBe(true);
      }
      expect(lines.some((l) => l.includes('no action worker for this target') && l.includes('"target":"teams"'))).toBe(
        true,
      );
      expect(lines.some((l) => l.includes('malformed outbox entry dropped'))).toBe(true);
    },
  );

  it('adds nothing twice when the same entries come back (a crash between add and remove)', async () => {
    const outbox = `${t.prefix}:outbox`;
    const entries = [job('pagerduty', 0), job('slack', 1)].map((e) => JSON.stringify(e));
    await t.redis.rpush(outbox, ...entries);
    await drainOutbox(t.redis, outbox, queues, logger());
    await t.redis.rpush(outbox, ...entries);
    expect(await drainOutbox(t.redis, outbox, queues, logger())).toBe(2);
    expect(await queues.get('pagerduty')!.getWaitingCount()).toBe(1);
    expect(await queues.get('slack')!.getWaitingCount()).toBe(1);
    expect(await t.redis.llen(outbox)).toBe(0);
  });
});
