import { describe, expect, it } from 'vitest';
import { stalledConsumer } from './lib/stalled-consumer.ts';

describe('chaos: the events worker loses its Redis connection while its process lives', () => {
  it('readiness fails within 30 s, and consumption resumes (CLIENT KILL, then a half-open connection)', async () => {
    const r = await stalledConsumer({ detectWithinMs: 30_000, resumeWithinMs: 30_000 });
    console.log(r.line);
    expect(r.killResumeMs, 'consumption did not resume after CLIENT KILL').toBeDefined();
    expect(r.detectMs, 'readiness did not fail while the worker was cut off').toBeDefined();
    expect(r.detectMs!).toBeLessThanOrEqual(30_000);
    expect(r.blackholeResumeMs, 'consumption did not resume after the half-open connection').toBeDefined();
    expect(r.missing).toEqual([]);
  }, 110_000);
});
