import { describe, expect, it } from 'vitest';
import { soak } from './lib/soak.ts';

/**
 * Short version (45 s); the long one is `npm run chaos soak` (30 min at 200 events/s). The
 * retention windows are 8 s here, so without them (or with a leak) Redis grows by megabytes
 * between warm-up and the end and the ±10 % check fails. The heap is only reported: 25 s of
 * samples is too short to tell a sawtooth from a trend.
 */
describe('chaos: soak', () => {
  it('keeps Redis used memory flat once the retention windows are full, with zero stalled jobs', async () => {
    const r = await soak({
      durationMs: 45_000,
      warmupMs: 20_000,
      retentionMs: 8_000,
      ratePerSec: 150,
      sampleMs: 2_500,
    });
    console.log(r.line);
    expect(r.acknowledged).toBe(r.sent);
    expect(r.stalled).toBe(0);
    expect(
      r.drift.redis,
      `Redis used memory drifted ${(r.drift.redis * 100).toFixed(1)}% after warm-up`,
    ).toBeLessThanOrEqual(0.1);
    expect(r.retained.dedupKey).toBeGreaterThan(0);
    expect(r.retained.eventLogEntry).toBeGreaterThan(0);
  }, 120_000);
});
