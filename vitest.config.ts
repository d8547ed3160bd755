import { defineConfig } from 'vitest/config';

/**
 * Three projects, because the files differ in what they share:
 * - unit: pure functions, no Redis, no server, no timers left behind. They run in threads without
 *   isolation, so a worker imports the domain modules once instead of once per file (vitest counted
 *   most of the unit run as import time).
 * - integration (with e2e and security): each file starts the service or a child process against the
 *   shared Redis (its own key prefix per test) and may stub the environment or nock: a fresh forked
 *   process per file, as before.
 * - chaos: kills processes, fills a private Redis, measures latencies; see its own comment below.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most tests wait on Redis, child processes and timers, not the CPU: four at once on two cores
    // take a third of the time of two (measured: 375 s → 140 s).
    maxWorkers: 4,
    // CI (CI=true) tries a failed test once more: many tests wait on child processes, timers and a
    // shared two-core machine, and one late wait must not turn a run red. A test that fails twice
    // still fails. Locally (no CI) nothing is retried, so a flaky test shows itself to its author.
    retry: process.env.CI ? 1 : 0,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/security/**/*.test.ts'],
          // Integration tests share one Redis; each test uses its own key prefix, so files may run in parallel.
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          pool: 'forks',
          // After the main suite when both are selected (`npx vitest run` without a filter).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
