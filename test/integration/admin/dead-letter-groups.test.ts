import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionQueueName, type ActionEnvelope, type Target } from '../../../src/domain/action.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';
import type { DeadLetter } from '../../../src/queue/actions/dead-letters.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/**
 * Dead letters grouped by target and error code over the real admin API and Redis: one wrong
 * Slack channel over several update cycles is one group with its count, times and likely fix;
 * a group is replayed or discarded whole by an operator (audited, each discard on its timeline);
 * a viewer sees the groups and gets 403 for the rest.
 */
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { viewer: 'dlg-viewer-token-1', operator: 'dlg-operator-token-1' };
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({
    MIM_ADMIN_TOKENS: [
      `dash:viewer:sha256:${sha(TOKENS.viewer)}`,
      `ops-bot:operator:sha256:${sha(TOKENS.operator)}`,
    ].join(','),
    MIM_ADMIN_RATE_LIMIT: '1000',
  });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${svc.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const audits = () => svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);

let seq = 0;
async function seed(
  target: Target,
  code: string,
  over: { mi?: string; channel?: string; minute?: number; detail?: string } = {},
): Promise<DeadLetter> {
  seq += 1;
  const job: ActionEnvelope = {
    majorIncidentId: over.mi ?? 'MI-DLG-1',
    do: target === 'pagerduty' ? 'pagerduty.trigger' : 'notify',
    effect: 'update',
    step: seq,
    target,
    params: {},
    round: seq,
    ...(over.channel ? { channel: over.channel } : {}),
  };
  const deadAt = new Date(Date.UTC(2026, 0, 1, 9, over.minute ?? seq)).toISOString();
  const letter: DeadLetter = {
    jobId: actionJobId(job as never),
    queue: actionQueueName(target),
    job,
    code,
    ...(over.detail ? { detail: over.detail } : {}),
    attempts: 1,
    firstAttemptAt: deadAt,
    deadAt,
  };
  await svc.actions.deadLetters.add(letter);
  return letter;
}

async function clear() {
  for (const l of await svc.actions.deadLetters.list(10_000)) await svc.actions.deadLetters.remove(l.jobId);
}

describe('GET /admin/dead-letters/groups', () => {
  it('groups by target and code with count, first and last seen, the likely fix and what is involved', async () => {
    await clear();
    const cycles = [];
    for (const minute of [1, 2, 3, 4, 5])
      cycles.push(
        await seed('slack', 'SLACK_CHANNEL_NOT_FOUND', {
          channel: '#payroll-statuss',
          minute,
          detail: 'channel_not_found',
        }),
      );
    const page = await seed('pagerduty', 'BAD_REQUEST', { minute: 7, detail: '{"message":"Invalid Routing Key"}' });
    const res = await call('GET', '/admin/dead-letters/groups', TOKENS.viewer);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      scanned: 6,
      total: 6,
      groups: [
        {
          target: 'pagerduty',
          code: 'BAD_REQUEST',
          count: 1,
          firstSeen: page.deadAt,
          lastSeen: page.deadAt,
          likelyFix:
            'PagerDuty refused the event, usually an invalid routing key: check the MIM_ROUTE_PAGERDUTY_* variable',
          detail: '{"message":"Invalid Routing Key"}',
          channels: [],
          actions: ['pagerduty.trigger'],
          majorIncidents: ['MI-DLG-1'],
          jobIds: [page.jobId],
        },
        {
          target: 'slack',
          code: 'SLACK_CHANNEL_NOT_FOUND',
          count: 5,
          firstSeen: cycles[0]!.deadAt,
          lastSeen: cycles[4]!.deadAt,
          likelyFix: 'channel not found: invite the bot to the channel, or fix the channel in audiences.yaml',
          detail: 'channel_not_found',
          channels: ['#payroll-statuss'],
          actions: ['notify'],
          majorIncidents: ['MI-DLG-1'],
          jobIds: cycles.map((c) => c.jobId).reverse(),
        },
      ],
    });
  });
});

describe('replaying and discarding a group', () => {
  it('a viewer gets 403 for both and nothing changes', async () => {
    await clear();
    const letter = await seed('pagerduty', 'UNAVAILABLE_PAST_HORIZON');
    const group = { target: 'pagerduty', code: 'UNAVAILABLE_PAST_HORIZON' };
    const replay = await call('POST', '/admin/dead-letters/groups/replay', TOKENS.viewer, group);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toEqual({ error: 'forbidden', required: 'operator' });
    const discard = await call('POST', '/admin/dead-letters/groups/discard', TOKENS.viewer, { ...group, reason: 'x' });
    expect(discard.status).toBe(403);
    expect(await svc.actions.deadLetters.get(letter.jobId)).toEqual(letter);
  });

  it('replays only the letters of the group, oldest first, and audits it', async () => {
    await clear();
    // No such major incidents: the PagerDuty worker finds them orphaned and does not dead-letter them again.
    const first = await seed('pagerduty', 'UNAVAILABLE_PAST_HORIZON', { mi: 'MI-DLG-R1' });
    const second = await seed('pagerduty', 'UNAVAILABLE_PAST_HORIZON', { mi: 'MI-DLG-R2' });
    const other = await seed('pagerduty', 'BAD_REQUEST', { mi: 'MI-DLG-R3' });
    const res = await call('POST', '/admin/dead-letters/groups/replay', TOKENS.operator, {
      target: 'pagerduty',
      code: 'UNAVAILABLE_PAST_HORIZON',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      target: 'pagerduty',
      code: 'UNAVAILABLE_PAST_HORIZON',
      replayed: [first.jobId, second.jobId],
      notFound: [],
    });
    expect((await svc.actions.deadLetters.list(100)).map((l) => l.jobId)).toEqual([other.jobId]);
    expect(audits().at(-1)).toMatchObject({
      what: 'dead-letter.replay-group',
      auth: 'ops-bot',
      target: 'pagerduty/UNAVAILABLE_PAST_HORIZON',
      status: 200,
      replayed: [first.jobId, second.jobId],
    });
  });

  it('discards a group with a reason: each letter goes, each on its timeline, and the call is audited', async () => {
    await clear();
    const a = await seed('slack', 'SLACK_NOT_IN_CHANNEL', { mi: 'MI-DLG-D1', channel: '#ops' });
    const b = await seed('slack', 'SLACK_NOT_IN_CHANNEL', { mi: 'MI-DLG-D2', channel: '#ops' });
    const keep = await seed('slack', 'SLACK_CHANNEL_NOT_FOUND', { mi: 'MI-DLG-D1', channel: '#ops' });
    const group = { target: 'slack', code: 'SLACK_NOT_IN_CHANNEL' };
    expect((await call('POST', '/admin/dead-letters/groups/discard', TOKENS.operator, group)).status).toBe(400);
    const res = await call('POST', '/admin/dead-letters/groups/discard', TOKENS.operator, {
      ...group,
      reason: 'channel retired',
      actor: 'carol',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...group, discarded: [a.jobId, b.jobId], notFound: [] });
    expect((await svc.actions.deadLetters.list(100)).map((l) => l.jobId)).toEqual([keep.jobId]);
    for (const [mi, letter] of [
      ['MI-DLG-D1', a],
      ['MI-DLG-D2', b],
    ] as const)
      expect(await svc.majorIncidents.timeline(mi)).toEqual([
        expect.objectContaining({
          kind: 'action.discarded',
          actor: { type: 'person', id: 'carol' },
          detail: expect.objectContaining({
            jobId: letter.jobId,
            code: 'SLACK_NOT_IN_CHANNEL',
            reason: 'channel retired',
          }),
        }),
      ]);
    expect(audits().at(-1)).toMatchObject({
      what: 'dead-letter.discard-group',
      actor: 'carol',
      target: 'slack/SLACK_NOT_IN_CHANNEL',
      reason: 'channel retired',
      discarded: [a.jobId, b.jobId],
      status: 200,
    });
    // The group is empty now.
    const again = await call('POST', '/admin/dead-letters/groups/discard', TOKENS.operator, { ...group, reason: 'x' });
    expect(again.status).toBe(404);
  });

  it('names what is wrong in a bad group, and answers 409 for a target this process has no queue for', async () => {
    await clear();
    for (const bad of [{}, { target: 'github', code: 'X' }, { target: 'slack', code: 'not a code\n' }]) {
      const res = await call('POST', '/admin/dead-letters/groups/replay', TOKENS.operator, bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(/target|code/);
    }
    // Jira credentials are not set in the test service: no Jira queue.
    const letter = await seed('jira', 'NOT_FOUND');
    const res = await call('POST', '/admin/dead-letters/groups/replay', TOKENS.operator, {
      target: 'jira',
      code: 'NOT_FOUND',
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'no_queue' });
    expect(await svc.actions.deadLetters.get(letter.jobId)).toEqual(letter);
  });
});
