import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import type { TimelineEntry } from '../../../src/domain/major-incident.ts';
import { MiStore } from '../../../src/store/mi-store.ts';
import { actionQueueName, type ActionEnvelope as ActionJob, type Target } from '../../../src/domain/action.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';
import { DeadLetters, type DeadLetter } from '../../../src/queue/actions/dead-letters.ts';
import { testRedis } from '../../helpers/redis.ts';
import { type CliResult, runCli } from './run-in-process.ts';

let t: ReturnType<typeof testRedis>;
let deadLetters: DeadLetters;
const queues: Queue[] = [];

beforeEach(() => {
  t = testRedis();
  deadLetters = new DeadLetters(t.redis, t.prefix);
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await t.clean();
});
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
});

const cliEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  MIM_REDIS_PREFIX: t.prefix,
  ...env,
});

/** `mim-bridge dead-letters …` in this process, with only the environment a child would get. */
const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(['dead-letters', ...args], cliEnv(env));

/** The real command as a child process: for what only a process shows (its exit code, no stack trace). */
async function cliProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/mim-bridge.js', 'dead-letters', ...args],
      { env: cliEnv(env) },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

const queueOf = (target: Target) => {
  const q = new Queue(actionQueueName(target), { connection: t.redis, prefix: t.prefix });
  queues.push(q);
  return q;
};

let seq = 0;
async function seed(
  target: Target,
  mi = 'MI-CLI-1',
  doIt = `${target === 'slack' ? 'notify' : `${target}.comment`}`,
): Promise<DeadLetter> {
  seq += 1;
  const job: ActionJob = {
    majorIncidentId: mi,
    do: doIt,
    effect: 'declare',
    step: seq,
    target,
    params: { template: 'declared' },
    round: 0,
    ...(target === 'slack' ? { channel: `#c${seq}` } : {}),
  };
  const deadAt = new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString();
  const letter: DeadLetter = {
    jobId: actionJobId(job),
    queue: actionQueueName(target),
    job,
    code: 'BAD_REQUEST',
    attempts: 1,
    firstAttemptAt: deadAt,
    deadAt,
  };
  await deadLetters.add(letter);
  return letter;
}

describe('mim-bridge dead-letters', () => {
  it('lists the letters newest first, filtered by target and limited', async () => {
    const jira1 = await seed('jira');
    await seed('slack');
    const jira2 = await seed('jira');
    const all = await cli(['list', '--json']);
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as DeadLetter[]).map((l) => l.jobId)).toHaveLength(3);
    const jira = JSON.parse((await cli(['list', '--target', 'jira', '--json'])).stdout) as DeadLetter[];
    expect(jira.map((l) => l.jobId)).toEqual([jira2.jobId, jira1.jobId]);
    const one = JSON.parse((await cli(['list', '--target', 'jira', '--limit', '1', '--json'])).stdout) as DeadLetter[];
    expect(one.map((l) => l.jobId)).toEqual([jira2.jobId]);
    const text = await cli(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(jira1.jobId);
  });

  it('shows one letter in full, and exits 1 for an unknown id', async () => {
    const letter = await seed('pagerduty');
    const shown = await cli(['show', letter.jobId]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(letter);
    expect((await cli(['show', 'MI-NOPE.declare.0.x'])).code).toBe(1);
  });

  it('replays one letter under its own id, replacing the failed job BullMQ still holds', async () => {
    const letter = await seed('jira');
    const queue = queueOf('jira');
    await queue.add(letter.job.do, { ...letter.job, params: { stale: true } }, { jobId: letter.jobId });
    const result = await cli(['replay', letter.jobId]);
    expect(result.code).toBe(0);
    expect(await deadLetters.get(letter.jobId)).toBeUndefined();
    const job = await queue.getJob(letter.jobId);
    expect(job?.data).toEqual(letter.job);
    expect(await job?.getState()).toBe('waiting');
    expect(await queueOf('slack').getJobCounts()).toMatchObject({ waiting: 0 });
  });

  it('replays every letter of one target and leaves the others', async () => {
    const s1 = await seed('slack');
    const s2 = await seed('slack');
    const j = await seed('jira');
    const result = await cli(['replay', '--all', '--target', 'slack']);
    expect(result.code).toBe(0);
    expect((await deadLetters.list(100)).map((l) => l.jobId)).toEqual([j.jobId]);
    const waiting = await queueOf('slack').getWaiting();
    expect(waiting.map((w) => w.id).sort()).toEqual([s1.jobId, s2.jobId].sort());
    expect(await queueOf('jira').getJob(j.jobId)).toBeUndefined();
  });

  it('exits 1 for an unknown id and 2 for a replay without an id or target, changing nothing', async () => {
    const letter = await seed('jira');
    expect((await cli(['replay', 'MI-NOPE.declare.0.x'])).code).toBe(1);
    expect((await cli(['replay'])).code).toBe(2);
    expect((await cli(['replay', '--all'])).code).toBe(2);
    expect((await cli(['replay', '--all', '--target', 'github'])).code).toBe(2);
    expect((await cli(['replay', letter.jobId, '--all', '--target', 'jira'])).code).toBe(2);
    expect((await cli(['replay', letter.jobId, '--target', 'jira'])).code).toBe(2);
    expect(await deadLetters.get(letter.jobId)).toEqual(letter);
    expect(await queueOf('jira').getJobCounts()).toMatchObject({ waiting: 0 });
  });

  it('discards with a reason recorded on the major incident timeline', async () => {
    const letter = await seed('servicenow', 'MI-CLI-7');
    const store = new MiStore<{ id: string; state: string; serviceId: string; createdAt: string }, TimelineEntry>(
      t.redis,
      t.prefix,
    );
    expect((await cli(['discard', letter.jobId, '--reason', '  '])).code).toBe(2);
    expect((await cli(['discard', letter.jobId])).code).toBe(2);
    expect(await deadLetters.get(letter.jobId)).toEqual(letter);

    const result = await cli(['discard', letter.jobId, '--reason', 'record was merged by hand', '--actor', 'alice']);
    expect(result.code).toBe(0);
    expect(await deadLetters.get(letter.jobId)).toBeUndefined();
    expect(await deadLetters.count()).toBe(0);
    expect(await store.timeline('MI-CLI-7')).toEqual([
      expect.objectContaining({
        kind: 'action.discarded',
        actor: { type: 'person', id: 'alice' },
        detail: {
          do: letter.job.do,
          target: 'servicenow',
          jobId: letter.jobId,
          code: 'BAD_REQUEST',
          reason: 'record was merged by hand',
        },
      }),
    ]);

    expect((await cli(['discard', letter.jobId, '--reason', 'again'])).code).toBe(1);
    expect(await store.timeline('MI-CLI-7')).toHaveLength(1);
  });

  it('lists the letters grouped by target and code, with the likely fix, as text and JSON', async () => {
    const s1 = await seed('slack');
    const s2 = await seed('slack');
    const j = await seed('jira');
    const text = await cli(['groups']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`jira BAD_REQUEST: 1 letter(s), first ${j.deadAt}, last ${j.deadAt}`);
    expect(text.stdout).toContain(`slack BAD_REQUEST: 2 letter(s), first ${s1.deadAt}, last ${s2.deadAt}`);
    expect(text.stdout).toContain('  fix: Jira refused a field');
    const json = JSON.parse((await cli(['groups', '--json'])).stdout) as {
      groups: Array<{ target: string; count: number; jobIds: string[] }>;
      scanned: number;
      total: number;
    };
    expect(json.total).toBe(3);
    expect(json.groups.map((g) => [g.target, g.count, g.jobIds])).toEqual([
      ['jira', 1, [j.jobId]],
      ['slack', 2, [s2.jobId, s1.jobId]],
    ]);
  });

  it('discards one group, recorded on each timeline, and exits 1 for an empty group or 2 without a reason', async () => {
    const store = new MiStore<{ id: string; state: string; serviceId: string; createdAt: string }, TimelineEntry>(
      t.redis,
      t.prefix,
    );
    const s1 = await seed('slack', 'MI-CLI-G1');
    const s2 = await seed('slack', 'MI-CLI-G2');
    const j = await seed('jira', 'MI-CLI-G1');
    const group = ['discard-group', '--target', 'slack', '--code', 'BAD_REQUEST'];
    expect((await cli([...group, '--reason', ' '])).code).toBe(2);
    const result = await cli([...group, '--reason', 'channel retired', '--actor', 'alice']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('discarded 2 dead letter(s) of slack BAD_REQUEST');
    expect((await deadLetters.list(100)).map((l) => l.jobId)).toEqual([j.jobId]);
    for (const [mi, letter] of [
      ['MI-CLI-G1', s1],
      ['MI-CLI-G2', s2],
    ] as const)
      expect((await store.timeline(mi)).map((e: TimelineEntry) => [e.kind, e.detail.jobId, e.detail.reason])).toEqual([
        ['action.discarded', letter.jobId, 'channel retired'],
      ]);
    expect((await cli([...group, '--reason', 'again'])).code).toBe(1);
    expect((await cli(['discard-group', '--target', 'github', '--code', 'X', '--reason', 'r'])).code).toBe(2);
  });

  it('exits 1 without a stack trace, naming REDIS_URL, when Redis is unreachable', async () => {
    const result = await cliProcess(['list'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('REDIS_URL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 on an invalid environment', async () => {
    expect((await cli(['list'], { MIM_REDIS_PREFIX: 'no-braces' })).code).toBe(1);
  });
});
