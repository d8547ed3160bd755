import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SN, startDeclaredWithJira, type DeclaredWithJira } from '../helpers/declared-with-jira.ts';
import { eventually, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * Issue #16 item 4: a comment mirrored into ServiceNow was remembered only as its action job's id,
 * which is forgotten 24 hours after the job completes; a replay of the signed Jira delivery after
 * that posted the comment a second time. The major incident now remembers every comment it
 * mirrored (source, record, comment id) for as long as it exists. Here both memories that come
 * before it (the 72-hour duplicate record and the completed jobs) are cleared, as time would.
 */
const SYS_ID = 'c0000000000000000000000000000091';
let svc: TestService;

let post: DeclaredWithJira['post'];

/** The events job's result (handle-event.ts): `…+comment` when it queued a mirrored comment. */
const outcome = (jobId: string) =>
  eventually(async () => {
    const job = await svc.queue.getJob(jobId);
    // finishedOn and returnvalue come from the same read.
    return job?.finishedOn
      ? typeof job.returnvalue === 'string'
        ? job.returnvalue
        : `failed: ${job.failedReason}`
      : undefined;
  }, 8_000);

/** What 72 hours and more do: the duplicate records expire and completed jobs are trimmed. */
async function forgetAllButTheMajorIncident(): Promise<void> {
  // A job whose vendor call is done may not have completed yet: clean only once none is running.
  await eventually(
    async () =>
      Object.values(await svc.actions.queues.get('servicenow')!.getJobCounts('waiting', 'active', 'prioritized')).every(
        (n) => n === 0,
      ),
    8_000,
  );
  const dedup = await svc.redis.keys(`${svc.keys.prefix}:dedup:*`);
  if (dedup.length) await svc.redis.del(...dedup);
  await svc.queue.clean(0, 10_000, 'completed');
  for (const queue of svc.actions.queues.values()) await queue.clean(0, 10_000, 'completed');
}

/**
 * Actions towards ServiceNow carrying the comment, in any state, and such entries still in the
 * outbox. Only the comment's own: the major incident's process (its timers) may write other notes
 * to ServiceNow while the test runs on a slow machine.
 */
async function serviceNowActions(): Promise<number> {
  const carries = (data: unknown) => JSON.stringify(data ?? null).includes(COMMENT);
  const jobs = await svc.actions.queues
    .get('servicenow')!
    .getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
  const outbox = await svc.redis.lrange(svc.majorIncidents.outboxKey, 0, -1);
  return jobs.filter((j) => carries(j?.data)).length + outbox.filter((entry) => entry.includes(COMMENT)).length;
}

const COMMENT = 'Failing over the payroll DB now';

/** The fields of the Jira comment fixture this file changes or reads; the rest pass through as they are. */
interface JiraCommentSample {
  issue: { id: string; key: string };
  comment: { body: string; jsdPublic: boolean; author: unknown };
  [field: string]: unknown;
}

function jiraComment(): JiraCommentSample {
  const sample = JSON.parse(readFileSync('test/fixtures/jira/comment_created.cloud.json', 'utf8'));
  sample.issue.id = '10042';
  sample.issue.key = 'PAY-42';
  sample.comment.body = COMMENT;
  sample.comment.jsdPublic = false;
  return sample;
}

beforeAll(async () => {
  ({ svc, post } = await startDeclaredWithJira(SYS_ID, 'INC0010042'));
  // The declare playbook's ServiceNow actions done (completed ones are counted, then cleared, below).
  await eventually(async () => {
    const busy = await svc.actions.queues
      .get('servicenow')!
      .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
    return Object.values(busy).every((n) => n === 0) && (await svc.redis.llen(svc.majorIncidents.outboxKey)) === 0;
  }, 8_000);
});
afterAll(async () => {
  await stopAndClean(svc);
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a Jira comment mirrored into ServiceNow', () => {
  it('is posted once, and a replay of its signed delivery days later is not posted again', async () => {
    const note = nock(SN)
      .patch(`/api/now/table/incident/${SYS_ID}`, {
        work_notes: '[Jira PAY-42, Test User] Failing over the payroll DB now',
      })
      .reply(200, { result: { sys_id: SYS_ID } });
    const first = await post('jira', jiraComment());
    const mirrored = await outcome(first);
    expect(mirrored).toMatch(/\+comment$/);
    await eventually(async () => note.isDone(), 8_000);
    expect(await serviceNowActions()).toBe(1); // the counter sees the comment's action

    await forgetAllButTheMajorIncident();
    expect(await serviceNowActions()).toBe(0);
    const replay = await post('jira', jiraComment());
    expect(replay).toBe(first);
    expect(await outcome(replay)).toBe(mirrored.replace(/\+comment$/, ''));
    expect(await serviceNowActions()).toBe(0);
  });

  it('is not posted again when Jira also reports it as an issue update', async () => {
    await forgetAllButTheMajorIncident();
    const sample = jiraComment();
    const asUpdate = {
      ...sample,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_commented',
      user: sample.comment.author,
    };
    const jobId = await post('jira', asUpdate);
    const handled = await outcome(jobId);
    expect(handled).not.toMatch(/^failed|\+comment$/);
    expect(await serviceNowActions()).toBe(0);
  });
});
