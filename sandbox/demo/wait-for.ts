/** Raised when a step's condition did not come true within its limit. */
export class StepTimeout extends Error {
  readonly code = 'STEP_TIMEOUT';
  readonly what: string;
  readonly limitMs: number;
  readonly lastSeen: string | undefined;
  constructor(what: string, limitMs: number, lastSeen?: string) {
    super(`${what}: not observed within ${limitMs / 1_000} s${lastSeen ? ` (last seen: ${lastSeen})` : ''}`);
    this.name = 'StepTimeout';
    this.what = what;
    this.limitMs = limitMs;
    this.lastSeen = lastSeen;
  }
}

/**
 * Polls `probe` until it returns a value (not undefined/false), or throws StepTimeout. `probe`
 * may report what it sees so far through `seen`, for the failure message.
 */
export async function waitFor<T>(
  what: string,
  limitMs: number,
  probe: (seen: (s: string) => void) => Promise<T | undefined | false> | T | undefined | false,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let lastSeen: string | undefined;
  const seen = (s: string) => {
    lastSeen = s;
  };
  for (;;) {
    let value: T | undefined | false;
    try {
      value = await probe(seen);
    } catch (err) {
      lastSeen = (err as Error).message;
      value = undefined;
    }
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new StepTimeout(what, limitMs, lastSeen);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
