import { afterEach, describe, expect, it } from 'vitest';
import { servicenowExecutor } from '../../../src/actions/servicenow.ts';
import { servicenowRecords } from '../../../src/connectors/servicenow/index.ts';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { fanOut } from '../../../src/orchestrator/fan-out.ts';
import { deliveryId, ROUND_NOTE_CHANNEL, ROUND_SETTLE_MS } from '../../../src/orchestrator/round-note.ts';
import { actionJobId } from '../../../src/queue/actions/action-job-id.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { declaredMi } from '../../unit/orchestrator/process/mi-fixture.ts';
import { ROUND_AUDIENCES, ROUND_T0, ROUND_TITLE, roundWorld } from '../../helpers/round-world.ts';
import { deps } from '../connectors/helpers.ts';

/**
 * One work note per communication round, written to the ServiceNow simulator: an update told to
 * four channels of three audiences (test/helpers/round-world.ts) leaves one note that lists each
 * message (sent, failed, pending), however often a message was retried.
 */
const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
const T0 = ROUND_T0;
const AUDIENCES = ROUND_AUDIENCES;
const TITLE = ROUND_TITLE;

let sim: ServicenowSim;
afterEach(async () => {
  await sim?.close();
});

async function world(sendable?: (target: string) => boolean) {
  sim = createServicenowSim({ users: { [USER]: PASSWORD } });
  await sim.listen();
  const client = createServicenowClient({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps());
  const origin = sim.act({ as: 'fred.luddy' }).create({ short_description: 'Payroll portal down', impact: '1' });
  const mi: MajorIncident = declaredMi({
    origin: { source: 'servicenow', recordId: origin.sys_id!, number: origin.number! },
  });
  const round = roundWorld(mi, 'servicenow', (io) =>
    servicenowExecutor({
      records: servicenowRecords(client),
      load: async () => mi,
      ...io,
      ...(sendable ? { sendable } : {}),
    }),
  );
  return { mi, sysId: origin.sys_id!, ...round };
}

const workNotes = (sysId: string) =>
  sim
    .journal(sysId)
    .filter((e) => e.field === 'work_notes')
    .map((e) => e.text);

describe('one work note per communication round', () => {
  it('fan-out plans one round-note job after the four messages of an update', async () => {
    const { jobs } = await world();
    expect(jobs.map((j) => [j.do, j.target, j.channel])).toEqual([
      ['notify', 'slack', '#payroll-status'],
      ['notify', 'email', 'payroll-admins@example.edu'],
      ['notify', 'slack', '#mi-bridge'],
      ['notify', 'teams', 'TEAMS_FINANCE'],
      ['servicenow.work_note', 'servicenow', ROUND_NOTE_CHANNEL],
    ]);
  });

  it('fan-out plans a note job on each ticketing system when it is not told where the incident started', async () => {
    const { jobs } = await world();
    const notify = jobs.filter((j) => j.do === 'notify');
    const notes = fanOut(
      [{ do: 'notify', effect: 'manual-update', majorIncidentId: 'MI-1', audiences: AUDIENCES.map((a) => a.id) }],
      AUDIENCES,
      T0,
    ).slice(notify.length);
    expect(notes.map((j) => [j.do, j.target, j.channel])).toEqual([
      ['servicenow.work_note', 'servicenow', ROUND_NOTE_CHANNEL],
      ['jira.comment', 'jira', ROUND_NOTE_CHANNEL],
    ]);
  });

  it('names each message by the job id the queue gives it (and its dead letter names)', async () => {
    const { jobs } = await world();
    for (const job of jobs) expect(deliveryId(job)).toBe(actionJobId(job));
    expect(deliveryId({ ...jobs[0]!, round: 0 })).toBe(actionJobId({ ...jobs[0]!, round: 0 }));
  });

  it('writes one note listing every message once the round has settled, a retried message included', async () => {
    const { sysId, jobs, run, sent, deadLettered, setNow } = await world();
    const [slack, email, bridge, teams, note] = jobs as [ActionJob, ActionJob, ActionJob, ActionJob, ActionJob];
    await sent(slack, T0 + 1_000);
    // The note waits while messages are still on their way.
    setNow(T0 + 2_000);
    await expect(run(note)).rejects.toMatchObject({ code: 'DEPENDENCY_PENDING', retryable: true });
    await sent(email, T0 + 3_000);
    await sent(bridge, T0 + 4_000);
    // Slack answered slowly and the message was sent again: its receipt has the same job id, so one line.
    await sent(bridge, T0 + 9_000);
    deadLettered(teams, T0 + 30_000, 'UNAUTHORIZED');
    setNow(T0 + 31_000);
    await run(note);
    expect(workNotes(sysId)).toEqual([
      [
        'mim-bridge sent the update messages of this round (3 of 4):',
        `- "${TITLE}" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`,
        `- "${TITLE}" to Payroll administrators (email payroll-admins@example.edu) at 09:05 UTC`,
        `- "${TITLE}" to Resolver teams (Slack #mi-bridge) at 09:05 UTC`,
        '- not sent to Finance (Teams): failed (UNAUTHORIZED)',
      ].join('\n'),
    ]);
  });

  it(`writes the note with a message pending ${ROUND_SETTLE_MS / 60_000} min after the first was sent`, async () => {
    const { sysId, jobs, run, sent, setNow } = await world();
    const [slack, email, bridge, , note] = jobs as [ActionJob, ActionJob, ActionJob, ActionJob, ActionJob];
    await sent(slack, T0);
    await sent(email, T0);
    await sent(bridge, T0);
    setNow(T0 + ROUND_SETTLE_MS - 1);
    await expect(run(note)).rejects.toMatchObject({ code: 'DEPENDENCY_PENDING' });
    setNow(T0 + ROUND_SETTLE_MS);
    await run(note);
    expect(workNotes(sysId)).toEqual([
      [
        'mim-bridge sent the update messages of this round (3 of 4):',
        `- "${TITLE}" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`,
        `- "${TITLE}" to Payroll administrators (email payroll-admins@example.edu) at 09:05 UTC`,
        `- "${TITLE}" to Resolver teams (Slack #mi-bridge) at 09:05 UTC`,
        '- not yet sent to Finance (Teams): still being retried',
      ].join('\n'),
    ]);
  });

  it('writes no work note per message: the receipts only go on the timeline', async () => {
    const { sysId, jobs, sent } = await world();
    for (const job of jobs.slice(0, 4)) await sent(job, T0);
    expect(workNotes(sysId)).toEqual([]);
  });

  it('names a message to a target not configured here at once, without waiting for it', async () => {
    const { sysId, jobs, run, sent } = await world((target) => target !== 'teams');
    const [slack, email, bridge, , note] = jobs as [ActionJob, ActionJob, ActionJob, ActionJob, ActionJob];
    await sent(slack, T0);
    await sent(email, T0);
    await sent(bridge, T0);
    await run(note);
    expect(workNotes(sysId)).toEqual([
      [
        'mim-bridge sent the update messages of this round (3 of 4):',
        `- "${TITLE}" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`,
        `- "${TITLE}" to Payroll administrators (email payroll-admins@example.edu) at 09:05 UTC`,
        `- "${TITLE}" to Resolver teams (Slack #mi-bridge) at 09:05 UTC`,
        '- not sent to Finance (Teams): teams is not configured',
      ].join('\n'),
    ]);
  });

  it('writes no note when no message of the round can be sent here', async () => {
    const { sysId, jobs, run } = await world(() => false);
    const result = await run(jobs[4]!);
    expect(result.detail).toMatchObject({ skipped: 'no message of the round can be sent here' });
    expect(workNotes(sysId)).toEqual([]);
  });
});
