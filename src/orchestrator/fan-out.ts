import type { AudiencesFile } from '../config/files/schema.ts';
import { ActionJob, type ActionEnvelope, type Target } from '../domain/action.ts';
import type { Source } from '../domain/incident-event.ts';
import { roundNoteJobs } from './round-note.ts';

type Audience = AudiencesFile['audiences'][number];

export interface PlannedStep {
  readonly do: string;
  readonly effect: string;
  readonly majorIncidentId: string;
  readonly audiences?: readonly string[];
  readonly [param: string]: unknown;
}

const ANNOUNCEMENT_STEPS: ReadonlySet<string> = new Set(['servicenow.announce', 'servicenow.retire_announcement']);

const TARGET_OF_PREFIX: Record<string, Target> = { servicenow: 'servicenow', jira: 'jira', pagerduty: 'pagerduty' };

function scalarParams(step: PlannedStep): ActionEnvelope['params'] {
  const out: ActionEnvelope['params'] = {};
  for (const [k, v] of Object.entries(step)) {
    if (['do', 'effect', 'majorIncidentId', 'audiences'].includes(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * Planned playbook steps → one job per target and channel. A `notify` step becomes a job per
 * channel of every audience (Slack channel, Teams webhook, email list), each in its own queue; an
 * announcement step, a ServiceNow job per audience that has an `announcement` block.
 * Each job is parsed into its action's shape: the playbook schema (config/files/schema-playbooks.ts)
 * allows only the params an action reads, so a step that does not make a job is a bug between the
 * two schemas, and fails here, loudly, rather than at the worker. The notify jobs of a round are
 * followed by one round-note job, the source ticket's one note about the round (round-note.ts), on
 * the system the major incident started in (`origin`; without it, see roundNoteJobs). Pure: the
 * orchestrator enqueues the result.
 */
export function fanOut(
  steps: readonly PlannedStep[],
  audiences: readonly Audience[],
  round = 0,
  origin?: Source,
): ActionJob[] {
  const byId = new Map(audiences.map((a) => [a.id, a]));
  const jobs: ActionEnvelope[] = [];
  steps.forEach((step, index) => {
    const base = {
      majorIncidentId: step.majorIncidentId,
      do: step.do,
      effect: step.effect,
      step: index,
      params: scalarParams(step),
      round,
    };
    if (ANNOUNCEMENT_STEPS.has(step.do)) {
      // Only audiences with an announcement block have one; the job names the audience, whose block says where.
      for (const audienceId of step.audiences ?? [])
        if (byId.get(audienceId)?.announcement)
          jobs.push({ ...base, target: 'servicenow', audience: audienceId, channel: `announcement:${audienceId}` });
      return;
    }
    if (step.do !== 'notify') {
      const target = TARGET_OF_PREFIX[step.do.split('.')[0] ?? ''];
      if (target) jobs.push({ ...base, target });
      return;
    }
    for (const audienceId of step.audiences ?? []) {
      const audience = byId.get(audienceId);
      if (!audience) continue;
      const params = { ...base.params, register: audience.register };
      for (const channel of audience.channels.slack ?? [])
        jobs.push({ ...base, params, target: 'slack', audience: audienceId, channel });
      if (audience.channels.teamsWebhookEnv)
        jobs.push({
          ...base,
          params,
          target: 'teams',
          audience: audienceId,
          channel: audience.channels.teamsWebhookEnv,
        });
      if (audience.channels.email?.length)
        jobs.push({
          ...base,
          params,
          target: 'email',
          audience: audienceId,
          channel: audience.channels.email.join(','),
        });
    }
  });
  const parsed = jobs.map((job) => ActionJob.parse(job));
  return [...parsed, ...roundNoteJobs(parsed, new Map(audiences.map((a) => [a.id, a.name])), origin)];
}
