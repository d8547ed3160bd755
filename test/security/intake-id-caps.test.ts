import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Issue #16 item 10: record ids of any length became Redis key names (a 900 KB one was seen).
 * Every id that becomes part of a key is held to its vendor's real format's length, with a 400
 * naming the field, before anything is stored.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

async function post(source: 'servicenow' | 'jira' | 'pagerduty', payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: signedHeaders(source, SECRETS[source], body),
  });
  return { status: res.status, body: (await res.json()) as { error?: string; field?: string } };
}

/** Sets `value` at `path` in a copy of `body`. */
function withValue(body: unknown, path: ReadonlyArray<string>, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/${name}.json`, 'utf8')) as unknown;
const longest = async () => {
  const all = await svc.redis.keys(`${svc.keys.prefix}*`);
  return Math.max(0, ...all.map((k) => k.length));
};

describe('an id longer than its vendor ever sends', () => {
  it('a 900 KB ServiceNow sys_id: 400 naming record.sys_id, and no key made of it', async () => {
    const res = await post('servicenow', wrapped(snRecord({ sys_id: 'a'.repeat(900 * 1024) })));
    expect(res).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_payload', field: 'record.sys_id' }),
    });
    expect(await longest()).toBeLessThan(200);
  });

  it.each([
    ['servicenow', 'record.sys_id', wrapped(snRecord({ sys_id: 'a'.repeat(33) }))],
    ['servicenow', 'sys_id', snRecord({ sys_id: 'a'.repeat(33) })],
    ['servicenow', 'sys_mod_count', snRecord({ sys_mod_count: '1'.repeat(13) })],
    ['jira', 'issue.id', withValue(fixture('jira/issue_updated.resolved'), ['issue', 'id'], '1'.repeat(20))],
    ['jira', 'changelog.id', withValue(fixture('jira/issue_updated.resolved'), ['changelog', 'id'], '1'.repeat(20))],
    ['jira', 'comment.id', withValue(fixture('jira/comment_created.cloud'), ['comment', 'id'], '1'.repeat(20))],
    ['jira', 'issue.key', withValue(fixture('jira/issue_updated.resolved'), ['issue', 'key'], `${'K'.repeat(300)}-1`)],
    [
      'jira',
      'webhookEvent',
      withValue(fixture('jira/issue_updated.resolved'), ['webhookEvent'], `jira:${'x'.repeat(100)}`),
    ],
    ['pagerduty', 'event.id', withValue(fixture('pagerduty/incident.triggered'), ['event', 'id'], 'E'.repeat(65))],
    [
      'pagerduty',
      'event.data.id',
      withValue(fixture('pagerduty/incident.triggered'), ['event', 'data', 'id'], 'P'.repeat(65)),
    ],
    [
      'pagerduty',
      'event.data.incident.id',
      withValue(fixture('pagerduty/incident.annotated'), ['event', 'data', 'incident', 'id'], 'P'.repeat(65)),
    ],
    [
      'pagerduty',
      'event.data.incident_key',
      withValue(fixture('pagerduty/incident.triggered'), ['event', 'data', 'incident_key'], 'k'.repeat(256)),
    ],
  ] as const)('%s: 400 naming %s', async (source, field, payload) => {
    const res = await post(source, payload);
    expect(res).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_payload', field }) });
  });

  it("at the vendor's own length, still accepted", async () => {
    expect(
      (await post('servicenow', wrapped(snRecord({ sys_id: 'a'.repeat(32), sys_mod_count: '1'.repeat(12) })))).status,
    ).toBe(202);
    expect(
      (await post('jira', withValue(fixture('jira/issue_updated.resolved'), ['issue', 'id'], '9'.repeat(19)))).status,
    ).toBe(202);
    expect(
      (await post('pagerduty', withValue(fixture('pagerduty/incident.triggered'), ['event', 'id'], 'E'.repeat(64))))
        .status,
    ).toBe(202);
  });
});
