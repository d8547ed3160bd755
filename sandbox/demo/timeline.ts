/**
 * The demo's readable timeline: a header per step with progress (`[3/7]`), then one line per
 * thing observed, stamped with the wall-clock time and the time since the demo began.
 */

export interface Timeline {
  /** A line outside the story (set-up, URLs). */
  info(text: string): void;
  step(n: number, total: number, title: string): void;
  /** Something observed: which system, and what. */
  saw(system: string, text: string): void;
  done(text: string): void;
  failed(text: string): void;
  /** Milliseconds since the timeline began. */
  elapsedMs(): number;
}

const SYSTEM_WIDTH = 10;

const clock = (at: Date) => at.toISOString().slice(11, 23);
export const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;

export function createTimeline(
  write: (text: string) => void = (t) => process.stdout.write(t),
  now: () => number = Date.now,
): Timeline {
  const start = now();
  let stepStart = start;
  const stamp = () => {
    const t = now();
    return `${clock(new Date(t))} +${seconds(t - start).padStart(5)}`;
  };
  return {
    info: (text) => write(`${text}\n`),
    step: (n, total, title) => {
      stepStart = now();
      write(`\n[${n}/${total}] ${title}\n`);
    },
    saw: (system, text) => write(`  ${stamp()}  ${system.padEnd(SYSTEM_WIDTH)} ${text}\n`),
    done: (text) => write(`  ✔ ${text} (${seconds(now() - stepStart)})\n`),
    failed: (text) => write(`  ✘ ${text} (after ${seconds(now() - stepStart)})\n`),
    elapsedMs: () => now() - start,
  };
}

/** A timeline that keeps its lines (for tests, which print them only when something fails). */
export function bufferedTimeline(): Timeline & { text(): string } {
  const lines: string[] = [];
  return Object.assign(
    createTimeline((t) => {
      lines.push(t);
    }),
    { text: () => lines.join('') },
  );
}
