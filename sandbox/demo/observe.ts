import type { Timeline } from './timeline.ts';
import { StepTimeout } from './wait-for.ts';

/** One thing a step expects to see: polled until `probe` describes it. */
export interface Expectation {
  readonly system: string;
  /** What is expected, for the failure message. */
  readonly what: string;
  /** A description of what was seen once it is there; undefined until then. */
  probe(): Promise<string | undefined> | string | undefined;
}

/**
 * Polls every expectation until all are seen, printing each on the timeline the moment it is
 * first observed (so the lines come in the order things happened). Throws StepTimeout naming
 * the ones still missing after `limitMs`.
 */
export async function observeAll(
  timeline: Timeline,
  limitMs: number,
  expectations: readonly Expectation[],
  everyMs = 100,
): Promise<void> {
  const pending = new Set(expectations);
  const deadline = Date.now() + limitMs;
  for (;;) {
    for (const e of [...pending]) {
      let seen: string | undefined;
      try {
        seen = await e.probe();
      } catch {
        seen = undefined;
      }
      if (seen !== undefined) {
        timeline.saw(e.system, seen);
        pending.delete(e);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline)
      throw new StepTimeout([...pending].map((e) => `${e.system}: ${e.what}`).join('; '), limitMs);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
