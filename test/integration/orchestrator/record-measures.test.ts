import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import {
  miCadenceAdherence,
  miTimeToDeclare,
  miTimeToMobilise,
  miTimeToResolve,
} from '../../../src/observability/metrics.ts';
import { measuresKey, recordNewMeasures, recordedMeasures } from '../../../src/process/record-measures.ts';
import { testRedis } from '../../helpers/redis.ts';

let redis: Redis;
let prefix: string;
let clean: () => Promise<void>;
beforeAll(() => {
  ({ redis, prefix, clean } = testRedis());
});
afterAll(async () => {
  await clean();
});

let n = 0;
/** A service label of its own per test: the histograms are process-wide. */
let service = '';
afterEach(() => {
  n += 1;
});

const now = new Date('2026-03-02T12:00:00.000Z');
const e = (kind: string, at: string, detail: Record<string, unknown> = {}): TimelineEntry => ({
  at,
  kind,
  actor: { type: 'system', id: 't' },
  detail,
});

function mi(over: Partial<MajorIncident> = {}): MajorIncident {
  service = `svc-${n}`;
  return {
    id: `MI-REC${n}-${service}`,
    serviceId: service,
    state: 'declared',
    title: 't',
    origin: { source: 'servicenow', recordId: 'r' },
    configVersion: 'v',
    roles: {},
    links: {},
    detectedAt: '2026-03-02T09:00:00.000Z',
    createdAt: '2026-03-02T09:01:00.000Z',
    declaredAt: '2026-03-02T09:05:00.000Z',
    updatedAt: '2026-03-02T09:05:00.000Z',
    ...over,
  };
}

/** Observations and their sum in one histogram for the test's service. */
async function observed(h: typeof miTimeToDeclare) {
  const values = (await h.get()).values.filter((v) => v.labels.service === service);
  return {
    count: values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0,
    sum: values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0,
    tier: values[0]?.labels.tier,
  };
}

const ack = e('page.acknowledged', '2026-03-02T09:12:00.000Z', { occurredAt: '2026-03-02T09:11:00.000Z' });
const ticks = [
  e('cadence.tick', '2026-03-02T09:35:00.000Z', { n: 1, overdue: false }),
  e('cadence.tick', '2026-03-02T10:05:00.000Z', { n: 2, overdue: true }),
];

describe('recordNewMeasures', () => {
  it('called twice, records each measure once: one observation, one timeline entry, one marker', async () => {
    const m = mi();
    const first = await recordNewMeasures(redis, prefix, m, [ack], now, 1);
    expect(first.map((x) => x.detail)).toEqual([
      { measure: 'timeToDeclare', ms: 300_000, text: '5m' },
      { measure: 'timeToMobilise', ms: 360_000, text: '6m' },
    ]);
    expect(first.every((x) => x.kind === 'measure.recorded' && x.at === now.toISOString())).toBe(true);
    expect(await recordNewMeasures(redis, prefix, m, [ack], now, 1)).toEqual([]);
    expect(await observed(miTimeToDeclare)).toEqual({ count: 1, sum: 300, tier: '1' });
    expect((await observed(miTimeToMobilise)).count).toBe(1);
    expect(await recordedMeasures(redis, prefix, m.id)).toEqual({ timeToDeclare: 300_000, timeToMobilise: 360_000 });
  });

  it('records a measure when it becomes available, and adherence only at resolution', async () => {
    const open = mi();
    expect((await recordNewMeasures(redis, prefix, open, [], now)).map((x) => x.detail.measure)).toEqual([
      'timeToDeclare',
    ]);
    expect((await recordNewMeasures(redis, prefix, open, [ack, ...ticks], now)).map((x) => x.detail.measure)).toEqual([
      'timeToMobilise',
    ]);
    expect((await observed(miCadenceAdherence)).count).toBe(0);

    const resolved = { ...open, state: 'resolved' as const, resolvedAt: '2026-03-02T10:30:00.000Z' };
    const last = await recordNewMeasures(redis, prefix, resolved, [ack, ...ticks], now);
    expect(last.map((x) => x.detail)).toEqual([
      { measure: 'timeToResolve', ms: 90 * 60_000, text: '1h 30m' },
      { measure: 'cadenceAdherence', ratio: 0.5, text: '50%' },
    ]);
    expect(await observed(miCadenceAdherence)).toMatchObject({ count: 1, sum: 0.5, tier: 'unknown' });
    expect(await observed(miTimeToResolve)).toMatchObject({ count: 1, sum: 5400 });
    expect(await recordNewMeasures(redis, prefix, resolved, [ack, ...ticks], now)).toEqual([]);
  });

  it('records once when two processes race on the same change', async () => {
    const m = mi();
    const both = await Promise.all([
      recordNewMeasures(redis, prefix, m, [ack], now),
      recordNewMeasures(redis, prefix, m, [ack], now),
    ]);
    expect(
      both
        .flat()
        .map((x) => x.detail.measure)
        .sort(),
    ).toEqual(['timeToDeclare', 'timeToMobilise']);
    expect((await observed(miTimeToDeclare)).count).toBe(1);
  });

  it("records nothing for a candidate, and keeps the marker under the major incident's keys", async () => {
    const { declaredAt: _, ...candidate } = mi({ state: 'candidate' });
    expect(await recordNewMeasures(redis, prefix, candidate, [], now)).toEqual([]);
    expect(await redis.exists(measuresKey(prefix, candidate.id))).toBe(0);
    expect(measuresKey(prefix, candidate.id)).toBe(`${prefix}:mi:${candidate.id}:measures`);
  });
});
