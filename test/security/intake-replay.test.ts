import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Issue #16 item 4: Jira's and PagerDuty's duplicates were keyed on delivery-id headers the
 * signature does not cover, so anyone holding one signed body could have it accepted again and
 * again under new ids. The key now derives from the signed body; the header is only logged.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

async function post(source: 'jira' | 'pagerduty', body: string, extra: Record<string, string>) {
  const res = await fetch(`${svc.url}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers: { ...signedHeaders(source, SECRETS[source], body), ...extra },
  });
  return { status: res.status, body: (await res.json()) as { id?: string; duplicate?: boolean } };
}

describe('the same signed bytes under a new delivery-id header', () => {
  it("Jira: a duplicate of the first, one job; Jira's own retry is one too", async () => {
    const body = readFileSync('test/fixtures/jira/issue_updated.priority-raised.json', 'utf8');
    const first = await post('jira', body, { 'x-atlassian-webhook-identifier': 'jira-original' });
    expect(first.status).toBe(202);
    const replay = await post('jira', body, { 'x-atlassian-webhook-identifier': 'jira-forged-1' });
    expect(replay).toEqual({ status: 200, body: { duplicate: true, id: first.body.id } });
    expect((await post('jira', body, {})).status).toBe(200);
    const retry = await post('jira', body, {
      'x-atlassian-webhook-identifier': 'jira-original',
      'x-atlassian-webhook-retry': '1',
    });
    expect(retry).toEqual({ status: 200, body: { duplicate: true, id: first.body.id } });
    expect(first.body.id).toBe('jira.issue_updated.10040.changelog-10235@1550351716080');
  });

  it('PagerDuty: a duplicate of the first, keyed on the signed event.id', async () => {
    const body = readFileSync('test/fixtures/pagerduty/incident.resolved.json', 'utf8');
    const first = await post('pagerduty', body, { 'x-webhook-id': 'pd-original' });
    expect(first.status).toBe(202);
    expect(await post('pagerduty', body, { 'x-webhook-id': 'pd-forged-1' })).toEqual({
      status: 200,
      body: { duplicate: true, id: first.body.id },
    });
    expect(await post('pagerduty', body, { 'x-webhook-id': 'pd-forged-2' })).toEqual({
      status: 200,
      body: { duplicate: true, id: first.body.id },
    });
  });

  it("keeps the header in the log line, as vendorDeliveryId, to find the delivery in the sender's log", () => {
    const lines = svc.logs.filter((l) => l.includes('"vendorDeliveryId":"pd-forged-1"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"outcome":"duplicate"');
  });
});

describe('a different event of the same record', () => {
  it('is not a duplicate: another changelog entry, another comment', async () => {
    const resolved = readFileSync('test/fixtures/jira/issue_updated.resolved.json', 'utf8');
    const reopened = readFileSync('test/fixtures/jira/issue_updated.reopened.json', 'utf8');
    expect((await post('jira', resolved, { 'x-atlassian-webhook-identifier': 'same' })).status).toBe(202);
    expect((await post('jira', reopened, { 'x-atlassian-webhook-identifier': 'same' })).status).toBe(202);
  });
});
