import { writeBack } from '../../src/actions/write-back.ts';
import type { ActionExecutor, ActionJob, ActionResult } from '../../src/domain/action.ts';
import type { Source } from '../../src/domain/incident-event.ts';
import type { MajorIncident, TimelineEntry } from '../../src/domain/major-incident.ts';
import { fanOut } from '../../src/orchestrator/fan-out.ts';
import { actionJobId } from '../../src/queue/actions/action-job-id.ts';

/**
 * A communication round driven by hand against one origin's executor (ServiceNow or Jira): an
 * update told to four channels of three audiences. The timeline is recorded as the action worker
 * records it (src/queue/actions/action-worker.ts: `{do, channel, ...detail}` when a job completes,
 * `{do, jobId, code}` when it is dead-lettered), and the clock is the test's.
 */
export const ROUND_T0 = Date.parse('2026-03-02T09:05:00.000Z');
export const ROUND_TITLE = 'Update: Payroll down (P1)';
export const ROUND_AUDIENCES = [
  {
    id: 'payroll-admins',
    name: 'Payroll administrators',
    register: 'business' as const,
    channels: { slack: ['#payroll-status'], email: ['payroll-admins@example.edu'] },
  },
  { id: 'resolvers', name: 'Resolver teams', register: 'technical' as const, channels: { slack: ['#mi-bridge'] } },
  { id: 'finance', name: 'Finance', register: 'business' as const, channels: { teamsWebhookEnv: 'TEAMS_FINANCE' } },
];

/** What the executor under test reads: the round's timeline and the test's clock. */
export interface RoundIo {
  readonly timeline: () => Promise<readonly TimelineEntry[]>;
  readonly now: () => Date;
}

export function roundWorld(mi: MajorIncident, origin: Source, executor: (io: RoundIo) => ActionExecutor) {
  const timeline: TimelineEntry[] = [];
  let now = ROUND_T0;
  const execute = executor({ timeline: async () => timeline, now: () => new Date(now) });
  /** Runs a job and records it as the action worker does. */
  const run = async (job: ActionJob): Promise<ActionResult> => {
    const result = await execute(job, { jobId: actionJobId(job) });
    timeline.push({
      at: new Date(now).toISOString(),
      kind: 'action.completed',
      actor: { type: 'system', id: job.target },
      detail: { do: job.do, ...(job.channel ? { channel: job.channel } : {}), ...result.detail },
    });
    return result;
  };
  /** A notify job sent at `at`: its write-back follow-ups, run once per distinct job id. */
  const ran = new Set<string>();
  const sent = async (job: ActionJob, at: number) => {
    now = at;
    const name = ROUND_AUDIENCES.find((a) => a.id === job.audience)?.name;
    for (const followUp of writeBack(mi, job, ROUND_TITLE, name, new Date(at))) {
      if (ran.has(actionJobId(followUp))) continue;
      ran.add(actionJobId(followUp));
      await run(followUp);
    }
  };
  const deadLettered = (job: ActionJob, at: number, code: string) => {
    timeline.push({
      at: new Date(at).toISOString(),
      kind: 'action.dead_lettered',
      actor: { type: 'system', id: job.target },
      detail: { do: job.do, jobId: actionJobId(job), code },
    });
  };
  const jobs = fanOut(
    [
      {
        do: 'notify',
        effect: 'manual-update',
        majorIncidentId: mi.id,
        template: 'update',
        audiences: ROUND_AUDIENCES.map((a) => a.id),
      },
    ],
    ROUND_AUDIENCES,
    ROUND_T0,
    origin,
  );
  const setNow = (at: number) => {
    now = at;
  };
  return { jobs, run, sent, deadLettered, setNow };
}
