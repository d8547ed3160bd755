import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENDPOINTS, adminCase, type AdminEndpoint } from './lib/admin-cases.ts';
import { healthViolations } from './lib/after-checks.ts';
import { excerpt, report, sendAll, StatusCounts, type Violation } from './lib/fuzz-run.ts';
import { fuzzSettings, testTimeoutFor } from './lib/fuzz-settings.ts';
import { startFuzzService, type FuzzService } from './lib/fuzz-service.ts';

/**
 * Fuzz of the admin endpoints a viewer token reaches with a body: the dry runs (simulate, with
 * drafts, and validate) and the login. Real simulate bodies (fixture events, vendor payloads,
 * drafts of the shipped rules with hostile lines) mutated by fast-check, and random JSON, all
 * with a valid viewer token. Per request: an answer within the deadline, never a 5xx, only the
 * statuses the endpoint documents; afterwards the process alive and ready. MIM_FUZZ_ADMIN_RUNS
 * bodies per endpoint (default a tenth of MIM_FUZZ_RUNS: each dry run compiles rules).
 */
const settings = fuzzSettings();
/**
 * Dry runs go through the rules sandbox, one thread with a short queue (src/http/admin/sandbox), which
 * answers 503 `sandbox_busy` past it by design. Four in flight stay under it, so any 5xx left is
 * the body's doing, not the fuzz's own load.
 */
const concurrency = Math.min(settings.concurrency, 4);
const seedOf = (endpoint: AdminEndpoint) => settings.seed + 50_000_000 + 10_000_000 * ADMIN_ENDPOINTS.indexOf(endpoint);

let fz: FuzzService;
beforeAll(async () => {
  fz = await startFuzzService(concurrency);
}, 60_000);
afterAll(async () => {
  await fz?.stop();
}, 60_000);

describe('fuzz of the admin endpoints open to a viewer', () => {
  for (const endpoint of ADMIN_ENDPOINTS) {
    it(
      `${settings.adminRuns} mutated and random bodies on ${endpoint}: each answered, none 5xx`,
      async () => {
        const violations: Violation[] = [];
        const statuses = new StatusCounts();
        const started = performance.now();
        const slowest = await sendAll({
          arb: adminCase(endpoint),
          count: settings.adminRuns,
          seed: seedOf(endpoint),
          concurrency,
          stop: () => !fz.alive() || violations.some((v) => v.kind === 'hang'),
          send: async (c, index) => {
            const answer = await fz.client.post(endpoint, c.headers, c.wire, settings.timeoutMs);
            const what = `${c.note}: ${excerpt(c.plain)}`;
            if ('error' in answer) {
              statuses.add('none');
              violations.push({
                kind: answer.error.startsWith('no answer') ? 'hang' : 'connection',
                where: endpoint,
                index,
                detail: `${answer.error} for ${what}`,
              });
              return;
            }
            statuses.add(answer.status);
            if (answer.status >= 500)
              violations.push({
                kind: 'server error',
                where: endpoint,
                index,
                detail: `${answer.status} ${answer.text.slice(0, 200)} for ${what}`,
              });
            else if (!c.allowed.includes(answer.status))
              violations.push({
                kind: 'unexpected status',
                where: endpoint,
                index,
                detail: `${answer.status} (expected ${c.allowed.join('/')}) ${answer.text.slice(0, 200)} for ${what}`,
              });
          },
        });
        const slow = slowest
          .map((x) => `#${x.index} ${Math.round(x.ms)} ms (${x.c.note}, ${x.c.plain.length} bytes)`)
          .join(', ');
        console.log(
          `fuzz ${endpoint}: ${settings.adminRuns} bodies, seed ${seedOf(endpoint)}, ` +
            `${((performance.now() - started) / 1000).toFixed(1)} s: ${statuses}; slowest ` +
            slow,
        );
        expect(violations.length, report(`fuzz ${endpoint}`, seedOf(endpoint), violations)).toBe(0);
      },
      testTimeoutFor(settings.adminRuns * 5),
    );
  }

  it('afterwards: the service alive and ready', async () => {
    const violations = await healthViolations(fz);
    expect(violations.length, report('fuzz admin after-checks', settings.seed, violations)).toBe(0);
  }, 60_000);
});
