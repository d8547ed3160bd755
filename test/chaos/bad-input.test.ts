import { describe, expect, it } from 'vitest';
import { badInput } from './lib/bad-input.ts';

describe('chaos: mutated and random webhooks on every endpoint (seeded)', () => {
  it('no 5xx, no false accept of a bad signature, still up, memory flat', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? 20261201);
    const r = await badInput({ runsPerKind: 600, seed });
    console.log(r.line);
    expect(r.fiveXx).toEqual([]);
    expect(r.falseAccepts).toEqual([]);
    expect(r.healthy).toBe(true);
    // Not a leak detector at this size (no forced GC): it catches growth by the request.
    expect(r.after.heapUsed - r.before.heapUsed).toBeLessThan(64 * 1024 * 1024);
  }, 90_000);
});
