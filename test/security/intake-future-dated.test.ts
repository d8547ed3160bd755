import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureTimeIssue, MAX_FUTURE_SKEW_MS } from '../../src/connectors/shared/source-time.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Issue #16 item 4: snapshots are ordered by the source's own time, so one signed delivery dated
 * 9999-12-31 made every later real update of its record "stale". A source time more than five
 * minutes ahead of the service's clock is now refused with a 400 naming the field.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

const snTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

async function post(source: 'servicenow' | 'jira' | 'pagerduty', payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source, SECRETS[source], body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { error?: string; field?: string; issues?: Array<{ path: string }> },
  };
}

describe('a delivery dated in the future', () => {
  it(
    "ServiceNow: refused with 400 naming record.sys_updated_on, and the record's real updates still " + 'apply',
    async () => {
      const sysId = 'f0000000000000000000000000000001';
      const forged = await post(
        'servicenow',
        wrapped(
          snRecord({
            sys_id: sysId,
            sys_mod_count: '9',
            sys_updated_on: '9999-12-31 23:59:59',
            short_description: 'forged',
          }),
        ),
      );
      expect(forged).toMatchObject({ status: 400, body: { error: 'invalid_payload', field: 'record.sys_updated_on' } });
      const real = await post(
        'servicenow',
        wrapped(
          snRecord({
            sys_id: sysId,
            sys_mod_count: '10',
            sys_updated_on: snTime(Date.now()),
            short_description: 'real',
          }),
        ),
      );
      expect(real.status).toBe(202);
      expect(await eventually(async () => (await svc.snapshots.get(`servicenow/${sysId}`))?.title, 8_000)).toBe('real');
    },
  );

  it('ServiceNow, a bare record: names sys_updated_on', async () => {
    const forged = await post(
      'servicenow',
      snRecord({ sys_id: 'f0000000000000000000000000000002', sys_updated_on: snTime(Date.now() + 3600_000) }),
    );
    expect(forged).toMatchObject({ status: 400, body: { field: 'sys_updated_on' } });
  });

  it('Jira: names timestamp', async () => {
    const sample = JSON.parse(readFileSync('test/fixtures/jira/issue_updated.resolved.json', 'utf8'));
    sample.timestamp = Date.now() + 24 * 3600_000;
    expect(await post('jira', sample)).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', field: 'timestamp' },
    });
  });

  it('PagerDuty: names event.occurred_at', async () => {
    const sample = JSON.parse(readFileSync('test/fixtures/pagerduty/incident.triggered.json', 'utf8'));
    sample.event.occurred_at = '9999-12-31T23:59:59.000Z';
    expect(await post('pagerduty', sample)).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', field: 'event.occurred_at' },
    });
  });

  it('is counted under its own outcome, so a sender with a wrong clock shows on the dashboard', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/mim_webhook_deliveries_total\{source="servicenow",outcome="future_dated"\} 2/);
  });
});

describe('the allowed clock skew', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  it('accepts up to five minutes ahead, refuses beyond', () => {
    expect(MAX_FUTURE_SKEW_MS).toBe(5 * 60_000);
    expect(futureTimeIssue('2026-12-01T12:05:00.000Z', now, 'timestamp')).toBeUndefined();
    expect(futureTimeIssue('2026-12-01T11:00:00.000Z', now, 'timestamp')).toBeUndefined();
    expect(futureTimeIssue('2026-12-01T12:05:00.001Z', now, 'timestamp')).toMatchObject({ path: 'timestamp' });
  });
});
