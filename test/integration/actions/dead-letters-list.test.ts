import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionEnvelope as ActionJob, type Target } from '../../../src/domain/action.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';
import { DeadLetters, type DeadLetter } from '../../../src/queue/actions/dead-letters.ts';
import { testRedis } from '../../helpers/redis.ts';

let t: ReturnType<typeof testRedis>;
beforeEach(() => {
  t = testRedis();
});
afterEach(async () => {
  await t.clean();
});

const letter = (target: Target, step: number): DeadLetter => {
  const job: ActionJob = {
    majorIncidentId: 'MI-LIST-1',
    do: `${target}.x`,
    effect: 'declare',
    step,
    target,
    params: {},
    round: 0,
  };
  const deadAt = new Date(Date.UTC(2026, 0, 1) + step * 1_000).toISOString();
  return {
    jobId: actionJobId(job),
    queue: actionQueueName(target),
    job,
    code: 'BAD_REQUEST',
    attempts: 1,
    firstAttemptAt: deadAt,
    deadAt,
  };
};

describe('DeadLetters.list', () => {
  it("finds a target's letters behind more than a page of newer letters of other targets", async () => {
    const dl = new DeadLetters(t.redis, t.prefix);
    const old = letter('jira', 0);
    await dl.add(old);
    for (let i = 1; i <= 450; i += 1) await dl.add(letter('slack', i));
    expect((await dl.list(10, 'jira')).map((l) => l.jobId)).toEqual([old.jobId]);
    expect(await dl.list(Number.POSITIVE_INFINITY, 'slack')).toHaveLength(450);
    expect((await dl.list(3)).map((l) => l.job.step)).toEqual([450, 449, 448]);
  });
});
