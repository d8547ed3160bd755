import type { Queue } from 'bullmq';
import { actionQueueName, type Target } from './action-job.ts';
import { ACTION_JOB_OPTIONS } from './action-queues.ts';
import type { DeadLetters } from './dead-letters.ts';

export type ReplayResult = 'replayed' | 'not_found' | 'no_queue';

/**
 * Sends a dead letter again under its own job id (idempotency markers stay valid): the failed
 * job is removed first, because BullMQ keeps a failed job's id and would ignore the re-add.
 */
export async function replayDeadLetter(jobId: string, deadLetters: DeadLetters, queues: ReadonlyMap<Target, Queue>): Promise<ReplayResult> {
  const letter = await deadLetters.get(jobId);
  if (!letter) return 'not_found';
  const queue = queues.get(letter.job.target);
  if (!queue || queue.name !== actionQueueName(letter.job.target)) return 'no_queue';
  const old = await queue.getJob(jobId);
  if (old) await old.remove();
  await queue.add(letter.job.do, letter.job, { ...ACTION_JOB_OPTIONS, jobId });
  await deadLetters.remove(jobId);
  return 'replayed';
}
