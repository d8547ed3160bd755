import fc from 'fast-check';

/**
 * Sends `count` generated cases with `concurrency` in flight. Cases come from fast-check in
 * chunks, each from its own seed (`seed + first index`), so memory stays flat at 100,000 runs and
 * any single case can be generated again from the seed and its index alone (`caseAt`). Shrinking
 * is left out on purpose: the service under test keeps state (a delivery id, once accepted, is a
 * duplicate ever after), so a smaller re-send would not meet the same code.
 */
const CHUNK = 1_000;

export interface Slow<C> {
  readonly ms: number;
  readonly index: number;
  readonly c: C;
}

/** Sends every case; returns the three slowest, for the run's summary (a slow body is worth a look). */
export async function sendAll<C>(opts: {
  readonly arb: fc.Arbitrary<C>;
  readonly count: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly send: (c: C, index: number) => Promise<void>;
  /** Checked before each send: once the service hangs or dies, the rest would only wait out their deadlines. */
  readonly stop?: () => boolean;
}): Promise<Array<Slow<C>>> {
  let slowest: Array<Slow<C>> = [];
  for (let start = 0; start < opts.count; start += CHUNK) {
    const cases = fc.sample(opts.arb, { seed: opts.seed + start, numRuns: Math.min(CHUNK, opts.count - start) });
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < cases.length && !opts.stop?.(); i = next++) {
        const began = performance.now();
        await opts.send(cases[i]!, start + i);
        const ms = performance.now() - began;
        if (slowest.length < 3 || ms > slowest[2]!.ms)
          slowest = [...slowest, { ms, index: start + i, c: cases[i]! }].sort((a, b) => b.ms - a.ms).slice(0, 3);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, lane));
  }
  return slowest;
}

/** The case `sendAll` sent at `index` with this seed. */
export function caseAt<C>(arb: fc.Arbitrary<C>, seed: number, index: number): C {
  const start = index - (index % CHUNK);
  return fc.sample(arb, { seed: seed + start, numRuns: index - start + 1 })[index - start]!;
}

/** What went wrong with one request, kept short enough to print. */
export interface Violation {
  readonly kind:
    | 'server error'
    | 'unexpected status'
    | 'hang'
    | 'connection'
    | 'accepted twice'
    | 'redelivery not a duplicate'
    | 'event failed'
    | 'event lost'
    | 'event invariant'
    | 'dead letter';
  readonly where: string;
  readonly index?: number;
  readonly detail: string;
}

/** A body as a reader can see it: escaped (a lone surrogate shows as \ud800), cut, with its size. */
export function excerpt(body: Buffer | string, max = 400): string {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return `${JSON.stringify(text.slice(0, max))}${text.length > max ? ` … (${Buffer.byteLength(text)} bytes)` : ''}`;
}

/** The failure message: the seed to replay with, then the first violations. */
export function report(title: string, seed: number, violations: readonly Violation[], limit = 8): string {
  const kinds = new StatusCounts();
  for (const v of violations) kinds.add(v.kind);
  // The first of each kind, then the rest in order: one kind should not hide another.
  const firsts = violations.filter((v, i) => violations.findIndex((w) => w.kind === v.kind) === i);
  const ordered = [...firsts, ...violations.filter((v) => !firsts.includes(v))];
  const shown = ordered
    .slice(0, limit)
    .map((v) => `- ${v.kind} at ${v.where}${v.index === undefined ? '' : ` #${v.index}`}: ${v.detail}`);
  return [
    `${title}: ${violations.length} violation(s) (${kinds}); replay with MIM_FUZZ_SEED=${seed} (and the same ` +
      'MIM_FUZZ_RUNS)',
    ...shown,
    ...(violations.length > limit ? [`… and ${violations.length - limit} more`] : []),
  ].join('\n');
}

/** Counts of answers by status, for the run's summary line. */
export class StatusCounts {
  readonly #counts = new Map<string, number>();
  add(status: number | string): void {
    this.#counts.set(String(status), (this.#counts.get(String(status)) ?? 0) + 1);
  }
  toString(): string {
    return [...this.#counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
  }
}
