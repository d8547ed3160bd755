import { describe, it, type ExpectStatic } from 'vitest';
import { redisKill } from './lib/redis-kill.ts';

/** Short version (3 cycles); the long one is `npm run chaos` (bench/chaos/run.ts). */
/** Both fsync policies at once (each its own redis-server and service): the runs mostly wait. */
describe.concurrent('chaos: Redis SIGKILLed and restarted under load', () => {
  const cycleTest =
    (fsync: 'everysec' | 'always') =>
    async ({ expect }: { expect: ExpectStatic }) => {
      const r = await redisKill({ cycles: 3, ratePerSec: 150, upMs: 1_200, downMs: 700, fsync });
      console.log([r.line, ...r.slowCycles].join('\n  '));
      if (r.missing.length)
        console.log(`missing:\n  ${r.missingDetail.join('\n  ')}\n  redis-server log: ${r.redisLog}`);
      expect(r.acknowledged).toBeGreaterThan(0);
      expect(r.drainedMs, 'the events queue never drained').toBeDefined();
      expect(r.failedJobs).toBe(0);
      expect(r.missing.map((s) => s.deliveryId)).toEqual([]);
      expect(r.unexpected.map((s) => `${s.deliveryId} ${s.status} ${s.error ?? ''}`)).toEqual([]);
      expect(r.notRefused.map((s) => `${s.deliveryId} ${s.status}`)).toEqual([]);
      // Cycle 2 killed Redis during a rewrite whose child held the sockets open (the scenario is real)…
      const forced = r.cycles.filter((c) => c.forcedRewrite);
      expect(forced.map((c) => c.rewriteChildrenAfterKill)).toEqual([1]);
      // …the intake told that silence from a slow Redis (queue/redis-gone.ts): without the watch those
      // requests fail when the child exits (`command_failed`) or at the deadline (`timed_out`)…
      expect(forced[0]!.server.refused?.[1] ?? 0).toBeGreaterThan(0);
      // …and no 503 anywhere waited out the deadline.
      expect(r.timedOut).toBe(0);
      // Generous bounds (the machine is shared): a 503 at once, intake back within seconds.
      expect(r.outage503Max).toBeLessThanOrEqual(1_000);
      for (const ms of r.backMs) expect(ms).toBeLessThanOrEqual(5_000);
    };
  for (const fsync of ['everysec', 'always'] as const) {
    it(
      `appendfsync ${fsync}: loses no acknowledged event, refuses with 503 while down, accepts again once back`,
      cycleTest(fsync),
      60_000,
    );
  }
});
