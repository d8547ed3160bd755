import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';

let svc: TestService;
beforeAll(async () => { svc = await startTestService({ LOG_LEVEL: 'fatal' }); });
afterAll(async () => { await stopAndClean(svc); });

const SEEDS = {
  servicenow: snRecord(),
  jira: JSON.parse(readFileSync('test/fixtures/jira/issue_updated.resolved.json', 'utf8')),
  pagerduty: JSON.parse(readFileSync('test/fixtures/pagerduty/incident.acknowledged.json', 'utf8')),
} as const;

/** Replaces the value at a random path of `seed` with a random JSON value. */
function mutate(seed: unknown, pathPicks: number[], value: unknown): unknown {
  if (pathPicks.length === 0 || seed === null || typeof seed !== 'object') return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(seed) ? [...seed] : { ...(seed as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return value;
  const key = keys[pathPicks[0]! % keys.length]!;
  (copy as Record<string, unknown>)[key] = mutate((copy as Record<string, unknown>)[key], pathPicks.slice(1), value);
  return copy;
}

const body = (source: keyof typeof SEEDS) => fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue()).map(([path, v]) => JSON.stringify(mutate(SEEDS[source], path, v))),
  fc.string().map((s) => s),
);

describe.each(['servicenow', 'jira', 'pagerduty'] as const)('random and mutated bodies on /webhooks/%s', (source) => {
  it('never answer 5xx and the service stays up', async () => {
    await fc.assert(fc.asyncProperty(body(source), async (text) => {
      const res = await fetch(`${svc.url}/webhooks/${source}`, { method: 'POST', body: text, headers: signedHeaders(source, SECRETS[source], text) });
      await res.arrayBuffer();
      expect(res.status).toBeLessThan(500);
      expect([200, 202, 400]).toContain(res.status);
    }), { numRuns: 150 });
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  });
});
