/**
 * How much the fuzz suite sends, read once from the environment so `npm test` (5,000 bodies per
 * webhook endpoint) and `npm run fuzz` (100,000) run the same code. The seed is fixed unless
 * given: a failure names it, and `MIM_FUZZ_SEED=<seed>` replays exactly the same bodies.
 */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export interface FuzzSettings {
  /** Bodies per webhook endpoint. */
  readonly runs: number;
  /** Bodies per admin endpoint (each dry run compiles rules, so fewer). */
  readonly adminRuns: number;
  readonly seed: number;
  /** Requests in flight at once, over as many kept-alive connections. */
  readonly concurrency: number;
  /** A request unanswered after this long is a hang. */
  readonly timeoutMs: number;
}

export function fuzzSettings(): FuzzSettings {
  const runs = positiveInt('MIM_FUZZ_RUNS', 5_000);
  return {
    runs,
    adminRuns: positiveInt('MIM_FUZZ_ADMIN_RUNS', Math.max(100, Math.round(runs / 10))),
    seed: positiveInt('MIM_FUZZ_SEED', 20_261_216),
    concurrency: positiveInt('MIM_FUZZ_CONCURRENCY', 16),
    timeoutMs: positiveInt('MIM_FUZZ_TIMEOUT_MS', 15_000),
  };
}

/** A vitest timeout that grows with the run count (100,000 bodies take minutes, not seconds). */
export const testTimeoutFor = (requests: number) => 120_000 + requests * 10;
