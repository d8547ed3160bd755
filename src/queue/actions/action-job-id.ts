import { createHash } from 'node:crypto';
import type { ActionEnvelope } from '../../domain/action.ts';

type Identity = Pick<ActionEnvelope, 'majorIncidentId' | 'effect' | 'round' | 'step' | 'do' | 'channel'>;

/**
 * Deterministic job id: the same intended action always gets the same id, so a retried event,
 * a crashed orchestrator or a replayed plan never enqueues it twice. No `:` (BullMQ forbids it).
 */
export function actionJobId(job: Identity): string {
  const where = job.channel ? `.${createHash('sha256').update(job.channel).digest('hex').slice(0, 12)}` : '';
  const action = job.do.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${job.majorIncidentId}.${job.effect}${job.round ? job.round : ''}.${job.step}.${action}${where}`;
}
