import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterViolations, eventViolations, healthViolations, type Origin } from './lib/after-checks.ts';
import { SOURCES, type Source } from './lib/fixtures.ts';
import type { Answer } from './lib/http-client.ts';
import { caseAt, excerpt, report, sendAll, StatusCounts, type Violation } from './lib/fuzz-run.ts';
import { fuzzSettings, testTimeoutFor } from './lib/fuzz-settings.ts';
import { startFuzzService, type FuzzService } from './lib/fuzz-service.ts';
import { webhookCase, type WebhookCase } from './lib/webhook-cases.ts';

/**
 * Signed-payload fuzz of the three webhook endpoints (issue #16): real vendor payloads mutated by
 * fast-check, and wholly random bodies, all signed with the endpoint's secret, so every one goes
 * past the signature check into parsing, validation, the intake and the events worker. Per
 * request: an answer within the deadline, never a 5xx, only the statuses the contract names.
 * Afterwards: the process alive and ready, every accepted event processed and none failed, no
 * dead letter. MIM_FUZZ_RUNS (default 5,000) bodies per endpoint; `npm run fuzz` sends 100,000.
 */
const settings = fuzzSettings();
const seedOf = (source: Source) => settings.seed + 10_000_000 * SOURCES.indexOf(source);

let fz: FuzzService;
const accepted = new Map<string, Origin>();
const bodyAt = (source: Source) => (index: number) =>
  caseAt(webhookCase(source), seedOf(source), index).plain.toString('utf8');

beforeAll(async () => {
  fz = await startFuzzService(settings.concurrency);
}, 60_000);
afterAll(async () => {
  await fz?.stop();
}, 60_000);

/** The statuses an answer may have; a violation otherwise (a 5xx, a hang, a dropped connection). */
function check(
  answer: Answer,
  allowed: readonly number[],
  where: string,
  index: number,
  c: WebhookCase,
  out: Violation[],
): number | undefined {
  const what = `${c.note}: ${excerpt(c.plain)}`;
  if ('error' in answer) {
    out.push({
      kind: answer.error.startsWith('no answer') ? 'hang' : 'connection',
      where,
      index,
      detail: `${answer.error} for ${what}`,
    });
    return undefined;
  }
  if (answer.status >= 500)
    out.push({
      kind: 'server error',
      where,
      index,
      detail: `${answer.status} ${answer.text.slice(0, 200)} for ${what}`,
    });
  else if (!allowed.includes(answer.status))
    out.push({
      kind: 'unexpected status',
      where,
      index,
      detail: `${answer.status} (expected ${allowed.join('/')}) ${answer.text.slice(0, 200)} for ${what}`,
    });
  return answer.status;
}

const jobIdOf = (answer: Answer) => ('text' in answer ? (JSON.parse(answer.text) as { id?: string }).id : undefined);

describe('signed-payload fuzz of the webhook endpoints', () => {
  for (const source of SOURCES) {
    const where = `/webhooks/${source}`;
    it(
      `${settings.runs} signed, mutated and random bodies on ${where}: each answered, none 5xx`,
      async () => {
        const violations: Violation[] = [];
        const statuses = new StatusCounts();
        const started = performance.now();
        const slowest = await sendAll({
          arb: webhookCase(source),
          count: settings.runs,
          seed: seedOf(source),
          concurrency: settings.concurrency,
          stop: () => !fz.alive() || violations.some((v) => v.kind === 'hang'),
          send: async (c, index) => {
            const first = await fz.client.post(where, c.headers, c.wire, settings.timeoutMs);
            const status = check(first, c.allowed, where, index, c, violations);
            statuses.add(status ?? 'none');
            if (status !== 202) return;
            const jobId = jobIdOf(first);
            if (jobId) accepted.set(jobId, { source, index, body: bodyAt(source) });
            if (!c.replay) return;
            const again = await fz.client.post(where, c.replay.headers, c.wire, settings.timeoutMs);
            const second = check(again, [200, 202], `${where} (replayed)`, index, c, violations);
            if (c.replay.kind === 'same' && second !== undefined && second !== 200) {
              violations.push({
                kind: 'redelivery not a duplicate',
                where,
                index,
                detail: `the same delivery again got ${second} for ${c.note}: ${excerpt(c.plain)}`,
              });
            }
            if (c.replay.kind === 'new-delivery-id' && second === 202) {
              violations.push({
                kind: 'accepted twice',
                where,
                index,
                detail:
                  'the same signed bytes under a new ' +
                  `${Object.keys(c.replay.headers).find((h) => h.startsWith('x-') && !h.includes('signature'))} ` +
                  `were accepted again (${jobIdOf(again)}) for ${c.note}: ${excerpt(c.plain)}`,
              });
            }
          },
        });
        const seconds = (performance.now() - started) / 1000;
        const slow = slowest
          .map((x) => `#${x.index} ${Math.round(x.ms)} ms (${x.c.note}, ${x.c.plain.length} bytes)`)
          .join(', ');
        console.log(
          `fuzz ${where}: ${settings.runs} bodies, seed ${seedOf(source)}, concurrency ${settings.concurrency}, ` +
            `${seconds.toFixed(1)} s: ${statuses}; slowest ` +
            slow,
        );
        expect(violations.length, report(`fuzz ${where}`, seedOf(source), violations)).toBe(0);
      },
      testTimeoutFor(settings.runs),
    );
  }

  it(
    'afterwards: the service alive and ready, every accepted event processed and none failed, no dead letter',
    async () => {
      const started = performance.now();
      const violations = [
        ...(await eventViolations(fz, accepted, 60_000 + accepted.size * 20)),
        ...(await deadLetterViolations(fz, 30_000)),
        ...(await healthViolations(fz)),
      ];
      console.log(
        `fuzz after-checks: ${accepted.size} accepted events checked in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(violations.length, report('fuzz after-checks', settings.seed, violations)).toBe(0);
    },
    testTimeoutFor(accepted.size + settings.runs),
  );
});
