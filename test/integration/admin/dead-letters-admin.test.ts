import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionEnvelope as ActionJob, type Target } from '../../../src/domain/action.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';
import type { DeadLetter } from '../../../src/queue/actions/dead-letters.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const TOKEN = 'admin-dead-letters-token';
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const post = (path: string, body: unknown = {}) =>
  fetch(`${svc.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

let seq = 0;
async function seed(target: Target, majorIncidentId: string): Promise<DeadLetter> {
  seq += 1;
  const job: ActionJob = {
    majorIncidentId,
    do: `${target}.trigger`,
    effect: 'declare',
    step: seq,
    target,
    params: {},
    round: 0,
  };
  const deadAt = new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString();
  const letter: DeadLetter = {
    jobId: actionJobId(job),
    queue: actionQueueName(target),
    job,
    code: 'UNAVAILABLE_PAST_HORIZON',
    attempts: 9,
    firstAttemptAt: deadAt,
    deadAt,
  };
  await svc.actions.deadLetters.add(letter);
  return letter;
}

describe('admin API: dead letters', () => {
  it('replays all letters of one target, oldest first, and leaves the other targets', async () => {
    // No such major incidents: the PagerDuty worker finds them orphaned and does not dead-letter them again.
    const first = await seed('pagerduty', 'MI-ADM-1');
    const second = await seed('pagerduty', 'MI-ADM-2');
    const other = await seed('jira', 'MI-ADM-3');
    const res = await post('/admin/dead-letters/replay?target=pagerduty');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ target: 'pagerduty', replayed: [first.jobId, second.jobId], notFound: [] });
    expect((await svc.actions.deadLetters.list(100)).map((l) => l.jobId)).toEqual([other.jobId]);
    await svc.actions.deadLetters.remove(other.jobId);
  });

  it('answers 400 for a missing or unknown target and 409 for a target this process has no queue for', async () => {
    const letter = await seed('jira', 'MI-ADM-4');
    expect((await post('/admin/dead-letters/replay')).status).toBe(400);
    expect((await post('/admin/dead-letters/replay?target=github')).status).toBe(400);
    // Jira credentials are not set in the test service: no Jira queue.
    const res = await post('/admin/dead-letters/replay?target=jira');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'no_queue' });
    expect(await svc.actions.deadLetters.get(letter.jobId)).toEqual(letter);
    await svc.actions.deadLetters.remove(letter.jobId);
  });

  it('records a discard on the major incident timeline, once', async () => {
    const letter = await seed('jira', 'MI-ADM-5');
    expect((await post(`/admin/dead-letters/${letter.jobId}/discard`, { reason: '' })).status).toBe(400);
    const res = await post(`/admin/dead-letters/${letter.jobId}/discard`, { reason: 'project archived', actor: 'bob' });
    expect(res.status).toBe(200);
    expect((await post(`/admin/dead-letters/${letter.jobId}/discard`, { reason: 'again' })).status).toBe(404);
    expect(await svc.actions.deadLetters.get(letter.jobId)).toBeUndefined();
    expect(await svc.majorIncidents.timeline('MI-ADM-5')).toEqual([
      expect.objectContaining({
        kind: 'action.discarded',
        actor: { type: 'person', id: 'bob' },
        detail: expect.objectContaining({
          jobId: letter.jobId,
          reason: 'project archived',
          code: 'UNAVAILABLE_PAST_HORIZON',
        }),
      }),
    ]);
  });
});

describe('the mim_dead_letters gauge', () => {
  it('is read from Redis at every scrape, so letters added or removed elsewhere show at once', async () => {
    const gauge = async () =>
      Number(/^mim_dead_letters (\d+)$/m.exec(await (await fetch(`${svc.url}/metrics`)).text())?.[1]);
    const before = await gauge();
    const letter = await seed('jira', 'MI-ADM-GAUGE');
    expect(await gauge()).toBe(before + 1);
    // Removed behind the process's back, as the CLI does from another process.
    await svc.actions.deadLetters.remove(letter.jobId);
    expect(await gauge()).toBe(before);
  });
});
