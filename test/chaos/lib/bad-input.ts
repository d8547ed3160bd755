import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { signedHeaders } from '../../helpers/sign.ts';
import { startChildService } from '../../helpers/child-service.ts';
import { testRedis } from '../../helpers/redis.ts';
import { SECRETS } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { memoryOf, type Memory } from './service-metrics.ts';

/**
 * Seeded, reproducible bad input on every webhook endpoint: random JSON, the real payloads with a
 * value replaced at a random path, random text (all signed correctly: they must be 200/202/400,
 * never 5xx), and signed payloads whose bytes were then changed under the old signature (must be
 * 401: a false accept would let anyone inject events). The service runs as a child process, so its
 * RSS and heap (read from its /metrics) are its own, not the test runner's.
 */
const SOURCES = ['servicenow', 'jira', 'pagerduty'] as const;
type Source = (typeof SOURCES)[number];

const SEEDS: Record<Source, unknown> = {
  servicenow: snRecord(),
  jira: JSON.parse(readFileSync('test/fixtures/jira/issue_updated.resolved.json', 'utf8')),
  pagerduty: JSON.parse(readFileSync('test/fixtures/pagerduty/incident.acknowledged.json', 'utf8')),
};

function mutate(seed: unknown, picks: readonly number[], value: unknown): unknown {
  if (picks.length === 0 || seed === null || typeof seed !== 'object') return value;
  const copy: Record<string, unknown> = Array.isArray(seed) ? { ...seed } : { ...(seed as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return value;
  const key = keys[picks[0]! % keys.length]!;
  copy[key] = mutate(copy[key], picks.slice(1), value);
  return Array.isArray(seed) ? Object.values(copy) : copy;
}

const body = (source: Source) =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue())
      .map(([p, v]) => JSON.stringify(mutate(SEEDS[source], p, v))),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );

/** A signed body whose bytes change afterwards: a flipped bit, a cut, or bytes appended. */
const tampered = (source: Source) =>
  fc
    .tuple(body(source), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'cut', 'append'))
    .map(([text, at, bits, how]) => {
      const original = Buffer.from(text);
      let changed: Buffer;
      if (how === 'append' || original.length === 0) changed = Buffer.concat([original, Buffer.from([bits])]);
      else if (how === 'cut') changed = original.subarray(0, at % original.length);
      else {
        changed = Buffer.from(original);
        changed[at % changed.length] = changed[at % changed.length]! ^ bits;
      }
      return { headers: signedHeaders(source, SECRETS[source], original), changed };
    });

export interface BadInputResult {
  readonly requests: number;
  readonly fiveXx: string[];
  readonly falseAccepts: string[];
  readonly healthy: boolean;
  readonly before: Memory;
  readonly after: Memory;
  readonly line: string;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * `nodeOptions`: NODE_OPTIONS of the service process, e.g. `--max-old-space-size=128` to see
 * whether a heap that grows is a leak (it then dies) or garbage not yet collected.
 */
export async function badInput(opts: {
  runsPerKind: number;
  seed: number;
  nodeOptions?: string;
}): Promise<BadInputResult> {
  const { prefix, clean } = testRedis();
  const svc = await startChildService({
    LOG_LEVEL: 'fatal',
    MIM_REDIS_PREFIX: prefix,
    ...(opts.nodeOptions ? { NODE_OPTIONS: opts.nodeOptions } : {}),
  });
  const fiveXx: string[] = [];
  const falseAccepts: string[] = [];
  let requests = 0;
  const post = async (source: Source, payload: string | Buffer, headers: Record<string, string>) => {
    requests++;
    const res = await fetch(`${svc.url}/webhooks/${source}`, { method: 'POST', body: payload, headers });
    await res.arrayBuffer();
    return res.status;
  };
  const started = Date.now();
  let before: Memory | undefined;
  try {
    for (const [i, source] of SOURCES.entries()) {
      if (i === 1) before = await memoryOf(svc.url);
      await fc.assert(
        fc.asyncProperty(body(source), async (text) => {
          const status = await post(source, text, signedHeaders(source, SECRETS[source], text));
          if (status >= 500 || ![200, 202, 400].includes(status))
            fiveXx.push(`${source} ${status} ${text.slice(0, 80)}`);
        }),
        { numRuns: opts.runsPerKind, seed: opts.seed + i },
      );
      await fc.assert(
        fc.asyncProperty(tampered(source), async ({ headers, changed }) => {
          const status = await post(source, changed, headers);
          if (status >= 500) fiveXx.push(`${source} ${status} (tampered)`);
          if (status !== 401) falseAccepts.push(`${source} ${status} ${changed.toString('utf8').slice(0, 80)}`);
        }),
        { numRuns: opts.runsPerKind, seed: opts.seed + 100 + i },
      );
    }
    const after = await memoryOf(svc.url);
    const healthy =
      svc.child.exitCode === null &&
      svc.child.signalCode === null &&
      (await fetch(`${svc.url}/healthz`)).status === 200;
    const b = before ?? after;
    const line =
      `chaos bad-input (seed ${opts.seed}): ${requests} requests (${opts.runsPerKind * 2} per endpoint) in ` +
      `${Math.round((Date.now() - started) / 1000)} s, ` +
      `${fiveXx.length} 5xx, ${falseAccepts.length} false accepts of bad signatures, ` +
      `${healthy ? 'still up' : 'NOT healthy'}; ` +
      `after the first endpoint → end: RSS ${mb(b.rss)} → ${mb(after.rss)}, heap ${mb(b.heapUsed)} → ` +
      `${mb(after.heapUsed)}`;
    return { requests, fiveXx, falseAccepts, healthy, before: b, after, line };
  } finally {
    await svc.kill();
    await clean();
  }
}
