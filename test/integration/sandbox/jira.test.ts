import { afterEach, describe, expect, it } from 'vitest';
import { adfFromText } from '../../../src/connectors/jira/adf.ts';
import { normalizeJira, verifyJira } from '../../../src/connectors/jira/inbound.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { jiraIssueToEvent } from '../../../src/connectors/jira/reconcile-event.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';
import { deps, META } from '../connectors/helpers.ts';
import { openApiErrors } from '../connectors/jira-openapi.ts';
import { startReceiver, type Receiver } from './servicenow-receiver.ts';

const EMAIL = 'mim@example.com';
const TOKEN = 'jira-sandbox-token';
const SECRET = 'jira-webhook-secret';
const AUTH = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;

let sim: JiraSim;
let receiver: Receiver;

async function start() {
  receiver = await startReceiver();
  sim = createJiraSim({
    integration: { email: EMAIL, apiToken: TOKEN, displayName: 'mim-bridge' },
    webhook: { url: receiver.url, secret: SECRET },
    webhookBackoffMs: 10,
  });
  await sim.listen();
  return createJiraClient({ baseUrl: sim.url(), email: EMAIL, apiToken: TOKEN, timeoutMs: 2_000 }, deps());
}

afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

/** Vendor JSON as assertions read it. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk vendor JSON of many shapes
const json = async (res: Response): Promise<any> => res.json();
const call = (path: string, method = 'GET', body?: unknown, authorization = AUTH) =>
  fetch(`${sim.url()}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const createBody = (fields: Record<string, unknown> = {}) => ({
  fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Email down', ...fields },
});

/** Every REST request the simulator received, checked against Atlassian's OpenAPI document. */
async function expectAllMatchOpenApi() {
  const api = sim.requests.filter((r) => r.path.startsWith('/rest/api/3/'));
  expect(api.length).toBeGreaterThan(0);
  for (const r of api) {
    const errors = await openApiErrors({
      method: r.method,
      path: r.path,
      body: r.method === 'GET' ? undefined : r.body,
      query: r.query as Record<string, string>,
    });
    expect({ request: `${r.method} ${r.path}`, errors }).toEqual({ request: `${r.method} ${r.path}`, errors: [] });
  }
}

describe('jira simulator: what REST v3 rejects', () => {
  it('answers 401 without valid credentials', async () => {
    await start();
    for (const authorization of ['', `Basic ${Buffer.from(`${EMAIL}:wrong`).toString('base64')}`]) {
      const res = await call('/rest/api/3/issue/OPS-1', 'GET', undefined, authorization);
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
    }
  });

  it("rejects a plain-string description with Jira's 400 shape and creates nothing", async () => {
    await start();
    const body = createBody({ description: 'plain text' });
    // The spec alone lets it through.
    expect(await openApiErrors({ method: 'POST', path: '/rest/api/3/issue', body })).toEqual([]);
    const res = await call('/rest/api/3/issue', 'POST', body);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      errorMessages: [],
      errors: { description: expect.stringContaining('Atlassian Document') },
    });
    expect(sim.issues()).toEqual([]);
  });

  it.each([
    ['an unknown project', { project: { key: 'NOPE' } }, 'project'],
    ['an unknown issue type', { issuetype: { name: 'Epicish' } }, 'issuetype'],
    ['no summary', { summary: '' }, 'summary'],
    ['a 256-character summary', { summary: 'x'.repeat(256) }, 'summary'],
    ['a label with a space', { labels: ['two words'] }, 'labels'],
    ['an unknown priority', { priority: { name: 'Urgent' } }, 'priority'],
    ['a field not on the screen', { customer_mood: 'bad' }, 'customer_mood'],
  ])('rejects %s', async (_what, fields, errorField) => {
    await start();
    const res = await call('/rest/api/3/issue', 'POST', createBody(fields));
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toHaveProperty(errorField);
  });

  it(
    'rejects a transition the workflow does not offer from the current status, and a plain-string ' + 'comment',
    async () => {
      await start();
      const issue = sim.act({ as: 'alice' }).createIssue({ summary: 'x' });
      const res = await call(`/rest/api/3/issue/${issue.key}/transitions`, 'POST', { transition: { id: '31' } });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual({
        errorMessages: ["Transition id '31' is not valid for this issue."],
        errors: {},
      });
      const comment = await call(`/rest/api/3/issue/${issue.key}/comment`, 'POST', { body: 'plain' });
      expect(comment.status).toBe(400);
      expect(sim.issue(issue.key)?.comments).toEqual([]);
    },
  );

  it("answers JQL it does not support with 400 and Jira's error shape", async () => {
    await start();
    for (const jql of ['labels = "a" OR labels = "b"', 'summary ~ "x"', 'labels = ', 'project = OPS ORDER BY rank']) {
      const res = await call('/rest/api/3/search/jql', 'POST', { jql });
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
    }
  });

  it('needs an existing link type and existing issues for issueLink', async () => {
    await start();
    const a = sim.act({ as: 'alice' }).createIssue({ summary: 'a' });
    expect(
      (
        await call('/rest/api/3/issueLink', 'POST', {
          type: { name: 'Causes' },
          inwardIssue: { key: a.key },
          outwardIssue: { key: a.key },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('/rest/api/3/issueLink', 'POST', {
          type: { name: 'Relates' },
          inwardIssue: { key: a.key },
          outwardIssue: { key: 'OPS-99' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('jira simulator: what mim-bridge sends, through the real connector', () => {
  it(
    'ticketing end to end: create once, notes, two-hop resolve, link child, remote link, priority, PIR, reconcile ' +
      'read; every request valid per OpenAPI',
    async () => {
      const client = await start();
      const ticketing = createJiraTicketing(client, { project: 'OPS', issueType: 'Task' });
      const ticket = {
        summary: 'Email down',
        description: 'Major incident MI-2025-0042.\n\nExchange stuck. https://status.example.com',
        priority: 1 as const,
      };
      const first = await ticketing.ensureTicket(ticket, META);
      expect(first).toMatchObject({ created: true, ticket: { vendor: 'jira', key: 'OPS-1' } });
      expect(await ticketing.ensureTicket(ticket, META)).toEqual({ ...first, created: false });
      const issue = sim.issue('OPS-1')!;
      expect(issue).toMatchObject({
        priority: 'Highest',
        labels: ['mim-MI-2025-0042'],
        properties: { 'mim-bridge': { majorIncidentId: 'MI-2025-0042' } },
      });
      expect(issue.description).toEqual(adfFromText(ticket.description));

      await ticketing.addNote(first.ticket, { text: 'internal', visibility: 'internal' }, META);
      await ticketing.addNote(first.ticket, { text: 'public', visibility: 'public' }, META);
      expect(issue.comments.map((c) => [c.internal, c.author.displayName])).toEqual([
        [true, 'mim-bridge'],
        [false, 'mim-bridge'],
      ]);

      await ticketing.setStatus(first.ticket, 'resolved', META);
      expect(issue.status).toBe('10001');
      expect(issue.resolution).toMatchObject({ name: 'Done' });
      expect(await client.transitionToCategory('OPS-1', 'done', META)).toBe(0);

      const child = sim.act({ as: 'alice' }).createIssue({ summary: 'Related' });
      await ticketing.linkChild(first.ticket, child.key, META);
      await ticketing.linkChild(first.ticket, child.key, META);
      expect(sim.links()).toEqual([expect.objectContaining({ type: 'Relates', outward: 'OPS-1', inward: child.key })]);

      const link = {
        globalId: 'mim-bridge:MI-2025-0042',
        url: 'https://mim.example.com/i/MI-2025-0042',
        title: 'MI-2025-0042',
      };
      await client.addRemoteLink('OPS-1', link, META);
      await client.addRemoteLink('OPS-1', { ...link, title: 'MI-2025-0042 (resolved)' }, META);
      expect(issue.remoteLinks.map((l) => l.object.title)).toEqual(['MI-2025-0042 (resolved)']);
      expect(sim.requests.filter((r) => r.path.endsWith('/remotelink')).map((r) => r.status)).toEqual([201, 200]);

      await client.setPriority('OPS-1', 'priority', 'High', META);
      expect(issue.priority).toBe('High');
      const pir = await client.createPir(
        {
          project: 'OPS',
          issueType: 'Post-incident review',
          summary: 'PIR',
          description: 'Review',
          technicalIssueKey: 'OPS-1',
        },
        META,
      );
      expect(pir.created).toBe(true);
      expect(sim.links()).toContainEqual(
        expect.objectContaining({ type: 'Relates', outward: 'OPS-1', inward: pir.key }),
      );

      await expectAllMatchOpenApi();
    },
  );

  /**
   * Known connector bug, found by this simulator: getIssueForReconcile asks for JIRA_RECONCILE_FIELDS
   * (no `description`), so Jira leaves `description` out, but JiraReconcileIssue requires the key
   * (`z.unknown()` is not optional in zod 4) and every reconcile read fails with INVALID_RESPONSE.
   * Fix: `description: z.unknown().optional()` in src/connectors/jira/outbound-schema.ts; then drop `.fails`.
   */
  it("getIssueForReconcile reads an issue back into the webhook's event", async () => {
    const client = await start();
    const issue = sim.act({ as: 'alice' }).createIssue({ summary: 'Email down', priority: 'High' });
    const read = await client.getIssueForReconcile(issue.key, META);
    expect(jiraIssueToEvent(read, new Date())).toMatchObject({
      kind: 'event',
      event: { recordId: issue.id, number: issue.key, priority: 2, state: 'new' },
    });
  });

  it('GET issue with fields returns only those fields, as Jira does', async () => {
    await start();
    const issue = sim.act({ as: 'alice' }).createIssue({ summary: 'Email down', description: 'd' });
    const body = await json(await call(`/rest/api/3/issue/${issue.key}?fields=summary,status`));
    expect(Object.keys(body.fields).sort()).toEqual(['status', 'summary']);
    const all = await json(await call(`/rest/api/3/issue/${issue.key}`));
    expect(all.fields.description).toEqual(adfFromText('d'));
  });

  it('search/jql finds by label and project, ordered, with maxResults and fields', async () => {
    await start();
    const alice = sim.act({ as: 'alice' });
    alice.createIssue({ summary: 'a', labels: ['x'] });
    alice.createIssue({ summary: 'b', labels: ['x', 'y'] });
    alice.createIssue({ summary: 'c', labels: ['y'] });
    const search = async (body: unknown) => await json(await call('/rest/api/3/search/jql', 'POST', body));
    expect(
      (await search({ jql: 'labels = "x" ORDER BY created DESC', fields: ['summary'] })).issues.map(
        (i: { fields: { summary: string } }) => i.fields.summary,
      ),
    ).toEqual(['b', 'a']);
    expect((await search({ jql: 'project = OPS AND labels = y ORDER BY created ASC', maxResults: 1 })).issues).toEqual([
      expect.objectContaining({ key: 'OPS-2' }),
    ]);
    expect((await search({ jql: 'labels = "nope"' })).issues).toEqual([]);
    await expectAllMatchOpenApi();
  });
});

describe('jira simulator: faults', () => {
  it(
    'a 503 on create reaches the real client as retryable; the retry finds nothing and creates exactly one ' + 'issue',
    async () => {
      const client = await start();
      const ticketing = createJiraTicketing(client, { project: 'OPS', issueType: 'Task' });
      sim.inject({ kind: 'unavailable', count: 1, path: /^\/rest\/api\/3\/issue$/ });
      const ticket = { summary: 'x', description: 'y', priority: 3 as const };
      await expect(ticketing.ensureTicket(ticket, META)).rejects.toMatchObject({ retryable: true });
      expect((await ticketing.ensureTicket(ticket, META)).created).toBe(true);
      expect((await ticketing.ensureTicket(ticket, META)).created).toBe(false);
      expect(sim.issues()).toHaveLength(1);
    },
  );
});

describe('jira simulator: signed webhooks', () => {
  const received = () =>
    receiver.received.map((r) => ({
      r,
      body: JSON.parse(r.rawBody.toString()) as { webhookEvent: string },
      n: normalizeJira(JSON.parse(r.rawBody.toString()), r),
    }));

  it(
    "sends people's changes and mim-bridge's own (the echo) with the acting account, verifiable and normalizable " +
      'by the real intake',
    async () => {
      const client = await start();
      const alice = sim.act({ as: 'alice' });
      const issue = alice.createIssue({
        summary: 'Checkout fails',
        priority: 'High',
        description: 'Customers see 500',
      });
      alice.transition(issue.key, 'In Progress');
      alice.setPriority(issue.key, 'Highest');
      alice.comment(issue.key, 'Rolled back', { internal: true });
      await client.addComment(issue.key, 'Mirrored from ServiceNow', 'public', META);
      await sim.webhooksIdle();

      const got = received();
      expect(got.map((g) => g.body.webhookEvent)).toEqual([
        'jira:issue_created',
        'jira:issue_updated',
        'jira:issue_updated',
        'comment_created',
        'jira:issue_updated',
        'comment_created',
        'jira:issue_updated',
      ]);
      for (const { r } of got) {
        expect(verifyJira(r, [SECRET])).toBe(true);
        expect(verifyJira(r, ['wrong'])).toBe(false);
      }
      expect(new Set(got.map((g) => g.r.headers['x-atlassian-webhook-identifier'])).size).toBe(got.length);
      const events = got.map((g) => (g.n.kind === 'event' ? g.n.event : undefined));
      expect(events.every(Boolean)).toBe(true);
      const aliceId = alice.account.accountId;
      const mimId = sim.accountFor(EMAIL)!.accountId;
      expect(events[0]).toMatchObject({
        kind: 'incident.created',
        number: issue.key,
        priority: 2,
        state: 'new',
        updatedBy: aliceId,
        description: 'Customers see 500',
      });
      expect(events[1]).toMatchObject({
        kind: 'incident.updated',
        state: 'in_progress',
        changedFields: ['status'],
        updatedBy: aliceId,
      });
      expect(events[2]).toMatchObject({ changedFields: ['priority'], priority: 1 });
      expect(events[3]).toMatchObject({
        kind: 'comment.created',
        comment: { body: 'Rolled back', visibility: 'internal' },
        updatedBy: aliceId,
      });
      expect(events[4]).toMatchObject({ kind: 'comment.created', comment: { body: 'Rolled back' } });
      expect(events[5]).toMatchObject({
        kind: 'comment.created',
        comment: { body: 'Mirrored from ServiceNow', visibility: 'public' },
        updatedBy: mimId,
      });
    },
  );

  it('a transition to Done reports status and resolution; reopen clears the resolution', async () => {
    await start();
    const bob = sim.act({ as: 'bob' });
    const issue = bob.createIssue({ summary: 'x' });
    expect(() => bob.transition(issue.key, 'Done')).toThrow(/not valid/);
    bob.transition(issue.key, 'In Progress');
    bob.transition(issue.key, 'Done');
    bob.transition(issue.key, 'To Do');
    await sim.webhooksIdle();
    const changed = received()
      .slice(1)
      .map((g) => (g.n.kind === 'event' ? g.n.event.changedFields : []));
    expect(changed).toEqual([['status'], ['resolution', 'status'], ['resolution', 'status']]);
    expect(sim.issue(issue.key)?.resolution).toBeNull();
  });
});
