import type { MajorIncident } from '../../src/domain/major-incident.ts';
import type { Sandbox } from '../index.ts';
import type { RunningChild } from '../run-service.ts';
import type { Timeline } from './timeline.ts';
import { StepTimeout } from './wait-for.ts';

/**
 * A story is a list of steps, each with a time limit; playing it prints a header per step and
 * one line per thing observed, and stops at the first step that did not happen.
 */

export interface StoryContext {
  readonly sandbox: Sandbox;
  readonly service: RunningChild;
  readonly timeline: Timeline;
  /** Filled in as the story goes: the major incident, the records it involves. */
  readonly state: StoryState;
}

export interface StoryState {
  mi?: MajorIncident;
  /** The exercise major incident of the drill story. */
  drill?: MajorIncident;
  /** ServiceNow sys_ids of the storm, the first one being the origin. */
  records: string[];
  originSysId?: string;
  jiraKey?: string;
  /** Texts written along the way, checked for where they arrive. */
  notes: Record<string, string>;
}

export interface Step {
  readonly title: string;
  readonly limitMs: number;
  /** Acts and observes; resolves with the summary line of the step. */
  run(ctx: StoryContext): Promise<string>;
}

export type StoryResult =
  | { readonly ok: true; readonly elapsedMs: number }
  | {
      readonly ok: false;
      readonly step: number;
      readonly title: string;
      readonly error: Error;
      readonly elapsedMs: number;
    };

/** The step's own limit also bounds what it does (a person helper that hangs fails the step). */
async function bounded<T>(p: Promise<T>, title: string, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(title, limitMs)), limitMs + 1_000);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function playStory(steps: readonly Step[], ctx: StoryContext): Promise<StoryResult> {
  for (const [i, step] of steps.entries()) {
    ctx.timeline.step(i + 1, steps.length, step.title);
    try {
      const summary = await bounded(step.run(ctx), step.title, step.limitMs);
      ctx.timeline.done(summary);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      ctx.timeline.failed(`step ${i + 1} did not happen: ${error.message}`);
      return { ok: false, step: i + 1, title: step.title, error, elapsedMs: ctx.timeline.elapsedMs() };
    }
  }
  return { ok: true, elapsedMs: ctx.timeline.elapsedMs() };
}

export const newState = (): StoryState => ({ records: [], notes: {} });
