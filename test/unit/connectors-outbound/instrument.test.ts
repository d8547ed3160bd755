import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../src/connectors/connector-error.ts';
import { instrument } from '../../../src/connectors/instrument.ts';
import { registry } from '../../../src/observability/metrics.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function count(op: string, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('mim_connector_calls_total')?.get();
  return metric?.values.find((v) => v.labels.op === op && v.labels.outcome === outcome)?.value ?? 0;
}

async function durationCount(op: string, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric('mim_connector_call_duration_seconds')?.get();
  const values = (metric?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
  return (
    values.find(
      (v) =>
        v.metricName === 'mim_connector_call_duration_seconds_count' &&
        v.labels.op === op &&
        v.labels.outcome === outcome,
    )?.value ?? 0
  );
}

const META = { incidentId: 'MI-7', jobId: 'job-9' };

describe('instrument', () => {
  it('gives the call a child logger with vendor, op, incidentId and jobId, and counts ok', async () => {
    const { logger, lines } = capture();
    const before = await count('unit-ok', 'ok');
    const result = await instrument({ logger }, 'jira', 'unit-ok', META, async (log) => {
      log.info('inside');
      return 42;
    });
    expect(result).toBe(42);
    expect(lines[0]).toMatchObject({
      vendor: 'jira',
      op: 'unit-ok',
      incidentId: 'MI-7',
      jobId: 'job-9',
      msg: 'inside',
    });
    expect(await count('unit-ok', 'ok')).toBe(before + 1);
    expect(await durationCount('unit-ok', 'ok')).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['rate_limited', new ConnectorError({ code: 'RATE_LIMITED', vendor: 'slack', retryable: true, retryAfterMs: 1 })],
    ['retryable', new ConnectorError({ code: 'SERVER_ERROR', vendor: 'slack', retryable: true })],
    ['permanent', new ConnectorError({ code: 'NOT_FOUND', vendor: 'slack', retryable: false })],
    ['unexpected', new TypeError('bug')],
  ])('records a %s failure and rethrows it unchanged', async (outcome, error) => {
    const { logger, lines } = capture();
    const before = await count('unit-fail', outcome);
    await expect(
      instrument({ logger }, 'slack', 'unit-fail', META, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    expect(await count('unit-fail', outcome)).toBe(before + 1);
    expect(lines.at(-1)).toMatchObject({ vendor: 'slack', op: 'unit-fail', incidentId: 'MI-7', outcome });
  });
});
