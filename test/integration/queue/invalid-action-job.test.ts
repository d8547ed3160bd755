import { Writable } from 'node:stream';
import { Queue, type Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionJob } from '../../../src/domain/action.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { startActionWorker } from '../../../src/queue/actions/action-worker.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { drainOutbox } from '../../../src/queue/actions/outbox-relay.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually } from '../../helpers/service.ts';

/**
 * A job whose params do not fit its action, from the outbox to the dead-letter list, against a real
 * Redis and BullMQ.
 */
describe('an action job this version cannot run', () => {
  let t: ReturnType<typeof testRedis>;
  let queue: Queue;
  let worker: Worker | undefined;
  let blocking: ReturnType<typeof t.redis.duplicate> | undefined;

  beforeEach(() => {
    t = testRedis();
    queue = new Queue(actionQueueName('jira'), { connection: t.redis, prefix: t.prefix });
  });
  afterEach(async () => {
    await worker?.close();
    await blocking?.quit();
    await queue.close();
    await t.clean();
  });

  it(
    'reaches its queue and is dead-lettered as INVALID_JOB naming the wrong param, and no executor runs ' + 'it',
    async () => {
      const logger = createLogger(
        'warn',
        {},
        new Writable({
          write(_c, _e, cb) {
            cb();
          },
        }),
      );
      const misspelt = {
        majorIncidentId: 'MI-1',
        do: 'jira.link_child',
        target: 'jira',
        effect: 'attach',
        step: 0,
        round: 0,
        channel: 'jira/2',
        params: { childkey: 'OPS-2' },
      };
      const outbox = `${t.prefix}:outbox`;
      await t.redis.rpush(outbox, JSON.stringify(misspelt));
      expect(await drainOutbox(t.redis, outbox, new Map([['jira', queue]]), logger)).toBe(1);

      const ran: ActionJob[] = [];
      const deadLetters = new DeadLetters(t.redis, t.prefix);
      blocking = t.redis.duplicate();
      worker = startActionWorker({
        connection: blocking,
        prefix: t.prefix,
        target: 'jira',
        deadLetters,
        logger,
        limiter: { max: 10, duration: 1_000 },
        execute: async (job) => {
          ran.push(job);
          return {};
        },
        record: { link: async () => {}, record: async () => {}, timeline: async () => {} },
      });

      const [letter] = await eventually(async () => {
        const letters = await deadLetters.list();
        return letters.length ? letters : undefined;
      }, 10_000);
      expect(letter).toMatchObject({ code: 'INVALID_JOB', job: misspelt, queue: 'actions-jira' });
      expect(letter!.detail).toContain('params.childKey');
      expect(ran).toEqual([]);
    },
  );
});
