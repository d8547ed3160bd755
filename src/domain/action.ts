import { createHash } from 'node:crypto';
import { z } from 'zod';

/** One queue per target system, so a slow or throttled vendor never delays another. */
export const TARGETS = ['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email'] as const;
export const Target = z.enum(TARGETS);
export type Target = z.infer<typeof Target>;

/**
 * BullMQ rejects `:` in queue names (it separates key parts), so the architecture's
 * `actions:jira` is spelled `actions-jira`; the `{mim}` prefix still hash-tags every key.
 */
export const actionQueueName = (target: Target) => `actions-${target}`;

/**
 * The job data of an action. It names things (major incident id, template, audience, channel,
 * the env var that holds a webhook URL) and never carries a secret: BullMQ stores job data in
 * clear text, and the worker resolves secrets from its own environment.
 */
export const ActionJob = z.object({
  majorIncidentId: z.string().regex(/^MI-[A-Za-z0-9-]+$/),
  do: z.string(),
  effect: z.string(),
  /** Position in the playbook: two identical steps stay two jobs. */
  step: z.number().int().min(0),
  target: Target,
  /** Where inside the target: a Slack channel, an email list, a Teams webhook name. */
  channel: z.string().optional(),
  audience: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Which occurrence of the effect (a re-open declares again): part of the job id. */
  round: z.number().int().min(0).default(0),
});
export type ActionJob = z.infer<typeof ActionJob>;

/**
 * Deterministic job id: the same intended action always gets the same id, so a retried event,
 * a crashed orchestrator or a replayed plan never enqueues it twice. No `:` (BullMQ forbids it).
 */
export function actionJobId(job: ActionJob): string {
  const where = job.channel ? `.${createHash('sha256').update(job.channel).digest('hex').slice(0, 12)}` : '';
  return `${job.majorIncidentId}.${job.effect}${job.round ? job.round : ''}.${job.step}.${job.do.replace(/[^A-Za-z0-9_-]/g, '_')}${where}`;
}
