import type { Queue } from 'bullmq';
import { Target } from '../../domain/action.ts';
import { likelyFix } from './dead-letter-fixes.ts';
import type { DeadLetter, DeadLetters } from './dead-letters.ts';
import { discardDeadLetter, type DiscardRequest, type TimelineWriter } from './discard.ts';
import { replayDeadLetter } from './replay.ts';

/**
 * Dead letters grouped by target and error code: one wrong Slack channel over many update cycles
 * is one group with a count, not a row per cycle. Each group says what most likely needs fixing,
 * and is replayed or discarded as a whole.
 */
export interface DeadLetterGroup {
  /** A letter of a malformed job may have no valid target: `unknown`. */
  readonly target: string;
  readonly code: string;
  readonly count: number;
  /** The earliest and latest `deadAt` of the group. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly likelyFix: string;
  /** The newest letter's detail (the vendor's secret-free words), when it has one. */
  readonly detail?: string;
  /** Distinct values, newest first, at most GROUP_SAMPLE of each. */
  readonly channels: readonly string[];
  readonly actions: readonly string[];
  readonly majorIncidents: readonly string[];
  /** Every letter of the group, newest first. */
  readonly jobIds: readonly string[];
}

/** How many letters the grouping reads, newest first; `scanned` < `total` says when there were more. */
export const GROUP_SCAN_LIMIT = 5_000;
const GROUP_SAMPLE = 10;

export const targetOf = (l: DeadLetter): string => (Target.safeParse(l.job?.target).success ? l.job.target : 'unknown');

const distinct = (values: readonly (string | undefined)[]) =>
  [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))].slice(0, GROUP_SAMPLE);

/** Pure. `letters` newest first (as DeadLetters.list answers); groups come out most recently seen first. */
export function groupDeadLetters(letters: readonly DeadLetter[]): DeadLetterGroup[] {
  const byKey = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const key = JSON.stringify([targetOf(letter), letter.code]);
    const members = byKey.get(key);
    if (members) members.push(letter);
    else byKey.set(key, [letter]);
  }
  return [...byKey.values()]
    .map((members) => {
      const newest = members[0]!;
      const times = members.map((m) => m.deadAt).sort();
      const target = targetOf(newest);
      return {
        target,
        code: newest.code,
        count: members.length,
        firstSeen: times[0]!,
        lastSeen: times.at(-1)!,
        likelyFix: likelyFix(target, newest.code),
        ...(newest.detail ? { detail: newest.detail } : {}),
        channels: distinct(members.map((m) => m.job?.channel)),
        actions: distinct(members.map((m) => m.job?.do)),
        majorIncidents: distinct(members.map((m) => m.job?.majorIncidentId)),
        jobIds: members.map((m) => m.jobId),
      };
    })
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}

export interface GroupKey {
  readonly target: string;
  readonly code: string;
}

/** The letters of one group, oldest first (the order they failed, and so the order to send them again). */
export async function lettersOfGroup(deadLetters: DeadLetters, group: GroupKey): Promise<DeadLetter[]> {
  const target = Target.safeParse(group.target);
  const letters = await deadLetters.list(Number.POSITIVE_INFINITY, target.success ? target.data : undefined);
  return letters.filter((l) => targetOf(l) === group.target && l.code === group.code).reverse();
}

export interface GroupOutcome {
  readonly done: readonly string[];
  /** Letters that went away meanwhile (replayed or discarded by someone else). */
  readonly notFound: readonly string[];
}

/** Replays every letter of a group, oldest first. `no_queue`: this process has no queue for the target (nothing touched). */
export async function replayDeadLetterGroup(
  group: GroupKey,
  deadLetters: DeadLetters,
  queues: ReadonlyMap<Target, Queue>,
): Promise<GroupOutcome | 'no_queue'> {
  const target = Target.safeParse(group.target);
  if (!target.success || !queues.has(target.data)) return 'no_queue';
  const done: string[] = [];
  const notFound: string[] = [];
  for (const { jobId } of await lettersOfGroup(deadLetters, group)) {
    const result = await replayDeadLetter(jobId, deadLetters, queues);
    if (result === 'replayed') done.push(jobId);
    else if (result === 'not_found') notFound.push(jobId);
    else return 'no_queue';
  }
  return { done, notFound };
}

/** Discards every letter of a group; each is recorded on its major incident's timeline (`action.discarded`). */
export async function discardDeadLetterGroup(
  group: GroupKey,
  request: DiscardRequest,
  deadLetters: DeadLetters,
  timeline: TimelineWriter,
): Promise<GroupOutcome> {
  const done: string[] = [];
  const notFound: string[] = [];
  for (const { jobId } of await lettersOfGroup(deadLetters, group)) {
    const outcome = await discardDeadLetter(jobId, request, deadLetters, timeline);
    (outcome.result === 'discarded' ? done : notFound).push(jobId);
  }
  return { done, notFound };
}
