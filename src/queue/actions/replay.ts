import type { Queue } from 'bullmq';
import { actionQueueName, type Target } from '../../domain/action.ts';
import { ACTION_JOB_OPTIONS } from './action-queues.ts';
import type { DeadLetters } from './dead-letters.ts';

export type ReplayResult = 'replayed' | 'not_found' | 'no_queue';

/**
 * Sends a dead letter again under its own job id (idempotency markers stay valid): the failed
 * job is removed first, because BullMQ keeps a failed job's id and would ignore the re-add.
 */
export async function replayDeadLetter(
  jobId: string,
  deadLetters: DeadLetters,
  queues: ReadonlyMap<Target, Queue>,
): Promise<ReplayResult> {
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

export interface ReplayAllResult {
  readonly replayed: readonly string[];
  /** Letters that went away meanwhile (replayed or discarded by someone else). */
  readonly notFound: readonly string[];
}

/**
 * Replays every dead letter of one target, oldest first, so they reach the vendor in the order
 * they failed. `no_queue` when this process has no queue for the target (nothing is touched).
 */
export async function replayAllDeadLetters(
  target: Target,
  deadLetters: DeadLetters,
  queues: ReadonlyMap<Target, Queue>,
): Promise<ReplayAllResult | 'no_queue'> {
  if (!queues.has(target)) return 'no_queue';
  const letters = (await deadLetters.list(Number.POSITIVE_INFINITY, target)).reverse();
  const replayed: string[] = [];
  const notFound: string[] = [];
  for (const { jobId } of letters) {
    const result = await replayDeadLetter(jobId, deadLetters, queues);
    if (result === 'replayed') replayed.push(jobId);
    else if (result === 'not_found') notFound.push(jobId);
    else return 'no_queue';
  }
  return { replayed, notFound };
}
