import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests share one Redis; each test uses its own key prefix, so files may run in parallel.
    pool: 'forks',
    // Most tests wait on Redis, child processes and timers, not the CPU: four at once on two cores
    // take a third of the time of two (measured: 375 s → 140 s).
    maxWorkers: 4,
    // CI (CI=true) tries a failed test once more: many tests wait on child processes, timers and a
    // shared two-core machine, and one late wait must not turn a run red. A test that fails twice
    // still fails. Locally (no CI) nothing is retried, so a flaky test shows itself to its author.
    retry: process.env.CI ? 1 : 0,
  },
});
