import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { deps, META, NOW, rejectionOf, responseFixture, socketError, useNock } from './helpers.ts';
import { openApiErrors, type SentRequest } from './jira-openapi.ts';

const BASE = 'http://127.0.0.1:8089';
const EMAIL = 'mim@example.com';
const TOKEN = 'jira-api-token-secret-1';
const AUTH = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;
const client = () => createJiraClient({ baseUrl: BASE, email: EMAIL, apiToken: TOKEN, timeoutMs: 200 }, deps());
const jira = () => nock(BASE).matchHeader('authorization', AUTH);

const doc = (...paragraphs: string[]) => ({
  type: 'doc',
  version: 1,
  content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
});
const SEARCH = { jql: 'labels = "mim-MI-2025-0042" ORDER BY created ASC', maxResults: 1, fields: ['status'] };
const PROVENANCE = { key: 'mim-bridge', value: { majorIncidentId: 'MI-2025-0042' } };

/** Sets up the interceptor for `sent` and checks it against Atlassian's OpenAPI document. */
async function expectRequest(sent: SentRequest, status: number, reply?: unknown): Promise<void> {
  expect(await openApiErrors(sent)).toEqual([]);
  const scope = jira();
  const path = sent.query ? `${sent.path}?${new URLSearchParams(sent.query as Record<string, string>)}` : sent.path;
  const interceptor = sent.method === 'GET' ? scope.get(path) : scope.post(path, sent.body as nock.RequestBodyMatcher);
  interceptor.reply(status, reply as nock.Body);
}

const transition = (id: string, category: string, name = id) => ({
  id,
  name,
  to: { name, statusCategory: { key: category } },
});
const issueIn = (category: string) => ({
  id: '10042',
  key: 'OPS-42',
  fields: { status: { statusCategory: { key: category } } },
});

describe('jira outbound', () => {
  useNock();

  it('the OpenAPI check itself rejects malformed requests', async () => {
    expect(
      await openApiErrors({ method: 'POST', path: '/rest/api/3/issue/OPS-42/transitions', body: { transition: '31' } }),
    ).not.toEqual([]);
    expect(
      await openApiErrors({ method: 'POST', path: '/rest/api/3/issue/OPS-42/remotelink', body: { globalId: 'g' } }),
    ).not.toEqual([]);
    expect(
      await openApiErrors({ method: 'POST', path: '/rest/api/3/search/jql', body: { jql: 'x', maxResults: 'one' } }),
    ).not.toEqual([]);
  });

  it('findByMarker searches the marker label with POST /search/jql', async () => {
    await expectRequest({ method: 'POST', path: '/rest/api/3/search/jql', body: SEARCH }, 200, {
      issues: [issueIn('new')],
      isLast: true,
    });
    expect(await client().findByMarker('mim-MI-2025-0042', META)).toEqual({ id: '10042', key: 'OPS-42' });
  });

  it(
    'ensureTicket creates the issue with ADF description, marker label, priority and provenance ' + 'property',
    async () => {
      await expectRequest({ method: 'POST', path: '/rest/api/3/search/jql', body: SEARCH }, 200, { issues: [] });
      await expectRequest(
        {
          method: 'POST',
          path: '/rest/api/3/issue',
          body: {
            fields: {
              project: { key: 'OPS' },
              issuetype: { name: 'Incident' },
              summary: 'Email down',
              description: doc('Major incident MI-2025-0042.', 'Exchange transport queue stuck.'),
              labels: ['mim-MI-2025-0042'],
              priority: { name: 'Highest' },
            },
            properties: [PROVENANCE],
          },
        },
        201,
        responseFixture('jira', 'issue.created'),
      );
      const ticketing = createJiraTicketing(client(), { project: 'OPS', issueType: 'Incident' });
      const ensured = await ticketing.ensureTicket(
        {
          summary: 'Email down',
          description: 'Major incident MI-2025-0042.\n\nExchange transport queue stuck.',
          priority: 1,
        },
        META,
      );
      expect(ensured).toEqual({ created: true, ticket: { vendor: 'jira', id: '10000', key: 'ED-24' } });
    },
  );

  it('createIssue returns the issue an earlier attempt made instead of creating another', async () => {
    await expectRequest({ method: 'POST', path: '/rest/api/3/search/jql', body: SEARCH }, 200, {
      issues: [issueIn('new')],
    });
    const issue = await client().createIssue(
      { project: 'OPS', issueType: 'Task', summary: 'x', description: 'y', marker: 'mim-MI-2025-0042' },
      META,
    );
    expect(issue).toEqual({ id: '10042', key: 'OPS-42', created: false });
  });

  it.each([
    ['public', [PROVENANCE]],
    ['internal', [{ key: 'sd.public.comment', value: { internal: true } }, PROVENANCE]],
  ] as const)('addComment %s sends an ADF body with the right properties', async (visibility, properties) => {
    await expectRequest(
      {
        method: 'POST',
        path: '/rest/api/3/issue/OPS-42/comment',
        body: { body: doc('Failover started.'), properties },
      },
      201,
      responseFixture('jira', 'comment.created'),
    );
    await client().addComment('OPS-42', 'Failover started.', visibility, META);
  });

  it('transitionToCategory takes two steps when done is not reachable from new', async () => {
    await expectRequest(
      { method: 'GET', path: '/rest/api/3/issue/OPS-42', query: { fields: 'status' } },
      200,
      issueIn('new'),
    );
    await expectRequest({ method: 'GET', path: '/rest/api/3/issue/OPS-42/transitions' }, 200, {
      transitions: [transition('11', 'indeterminate', 'Start progress'), transition('41', 'new', 'Back to triage')],
    });
    await expectRequest(
      { method: 'POST', path: '/rest/api/3/issue/OPS-42/transitions', body: { transition: { id: '11' } } },
      204,
    );
    await expectRequest({ method: 'GET', path: '/rest/api/3/issue/OPS-42/transitions' }, 200, {
      transitions: [transition('21', 'new', 'Stop progress'), transition('31', 'done', 'Resolve')],
    });
    await expectRequest(
      { method: 'POST', path: '/rest/api/3/issue/OPS-42/transitions', body: { transition: { id: '31' } } },
      204,
    );
    expect(await client().transitionToCategory('OPS-42', 'done', META)).toBe(2);
  });

  it('transitionToCategory picks the transition whose target category matches, not the first one', async () => {
    await expectRequest(
      { method: 'GET', path: '/rest/api/3/issue/OPS-42', query: { fields: 'status' } },
      200,
      issueIn('indeterminate'),
    );
    await expectRequest({ method: 'GET', path: '/rest/api/3/issue/OPS-42/transitions' }, 200, {
      transitions: [
        transition('5', 'new', 'Reopen'),
        transition('7', 'indeterminate', 'Waiting'),
        transition('9', 'done', 'Done'),
      ],
    });
    await expectRequest(
      { method: 'POST', path: '/rest/api/3/issue/OPS-42/transitions', body: { transition: { id: '9' } } },
      204,
    );
    expect(await client().transitionToCategory('OPS-42', 'done', META)).toBe(1);
  });

  it('transitionToCategory is a no-op when the issue is already in the category', async () => {
    await expectRequest(
      { method: 'GET', path: '/rest/api/3/issue/OPS-42', query: { fields: 'status' } },
      200,
      issueIn('done'),
    );
    expect(await client().transitionToCategory('OPS-42', 'done', META)).toBe(0);
  });

  it('transitionToCategory fails permanently when no transition leads there (vendor example workflow)', async () => {
    await expectRequest(
      { method: 'GET', path: '/rest/api/3/issue/OPS-42', query: { fields: 'status' } },
      200,
      issueIn('indeterminate'),
    );
    await expectRequest(
      { method: 'GET', path: '/rest/api/3/issue/OPS-42/transitions' },
      200,
      responseFixture('jira', 'transitions.listed'),
    );
    const err = await rejectionOf(() => client().transitionToCategory('OPS-42', 'done', META));
    expect(err).toMatchObject({ code: 'NO_TRANSITION', vendor: 'jira', retryable: false });
  });

  it('addRemoteLink sends the whole object under a stable globalId', async () => {
    await expectRequest(
      {
        method: 'POST',
        path: '/rest/api/3/issue/OPS-42/remotelink',
        body: {
          globalId: 'mim-bridge:MI-2025-0042:servicenow',
          application: { type: 'mim-bridge', name: 'mim-bridge' },
          object: {
            url: 'https://example.service-now.com/incident.do?sys_id=6f9e',
            title: 'INC0010010',
            summary: 'ServiceNow major incident',
          },
        },
      },
      201,
      responseFixture('jira', 'remotelink.created'),
    );
    await client().addRemoteLink(
      'OPS-42',
      {
        globalId: 'mim-bridge:MI-2025-0042:servicenow',
        url: 'https://example.service-now.com/incident.do?sys_id=6f9e',
        title: 'INC0010010',
        summary: 'ServiceNow major incident',
      },
      META,
    );
  });

  it('createPir creates the review issue linked to the technical issue in the same request', async () => {
    await expectRequest(
      {
        method: 'POST',
        path: '/rest/api/3/search/jql',
        body: { ...SEARCH, jql: 'labels = "mim-MI-2025-0042-pir" ORDER BY created ASC' },
      },
      200,
      { issues: [] },
    );
    await expectRequest(
      {
        method: 'POST',
        path: '/rest/api/3/issue',
        body: {
          fields: {
            project: { key: 'PIR' },
            issuetype: { name: 'Task' },
            summary: 'PIR: Email down',
            description: doc('To cover: timeline, impact, root cause.'),
            labels: ['mim-MI-2025-0042-pir'],
          },
          update: { issuelinks: [{ add: { type: { name: 'Relates' }, outwardIssue: { key: 'OPS-42' } } }] },
          properties: [PROVENANCE],
        },
      },
      201,
      { id: '10050', key: 'PIR-3', self: `${BASE}/rest/api/3/issue/10050` },
    );
    const pir = await client().createPir(
      {
        project: 'PIR',
        issueType: 'Task',
        summary: 'PIR: Email down',
        description: 'To cover: timeline, impact, root cause.',
        technicalIssueKey: 'OPS-42',
      },
      META,
    );
    expect(pir).toEqual({ id: '10050', key: 'PIR-3', created: true });
  });

  it('linkIssues posts an issueLink', async () => {
    await expectRequest(
      {
        method: 'POST',
        path: '/rest/api/3/issueLink',
        body: { type: { name: 'Relates' }, outwardIssue: { key: 'OPS-42' }, inwardIssue: { key: 'OPS-43' } },
      },
      201,
    );
    await client().linkIssues('OPS-42', 'OPS-43', 'Relates', META);
  });

  it('429 honours Retry-After in seconds', async () => {
    jira()
      .post('/rest/api/3/search/jql')
      .reply(
        429,
        { errorMessages: ['Rate limit exceeded.'] },
        { 'Retry-After': '7', 'RateLimit-Reason': 'jira-burst-based' },
      );
    const err = await rejectionOf(() => client().findByMarker('mim-MI-2025-0042', META));
    expect(err).toMatchObject({
      code: 'RATE_LIMITED',
      vendor: 'jira',
      status: 429,
      retryable: true,
      retryAfterMs: 7_000,
    });
  });

  it('429 falls back to X-RateLimit-Reset (ISO 8601) without Retry-After', async () => {
    jira()
      .post('/rest/api/3/search/jql')
      .reply(429, {}, { 'X-RateLimit-Reset': new Date(NOW + 45_000).toISOString() });
    const err = await rejectionOf(() => client().findByMarker('mim-MI-2025-0042', META));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 45_000 });
  });

  it('503 honours Retry-After as an HTTP date', async () => {
    jira()
      .post('/rest/api/3/search/jql')
      .reply(503, '', { 'Retry-After': new Date(NOW + 60_000).toUTCString() });
    const err = await rejectionOf(() => client().findByMarker('mim-MI-2025-0042', META));
    expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true, retryAfterMs: 60_000 });
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [410, 'GONE'],
    [422, 'UNPROCESSABLE'],
  ])('HTTP %i is permanent: %s', async (status, code) => {
    jira()
      .post('/rest/api/3/issue/OPS-42/comment')
      .reply(status, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
    const err = await rejectionOf(() => client().addComment('OPS-42', 'x', 'public', META));
    expect(err).toMatchObject({ code, status, retryable: false });
  });

  it('500 is a retryable SERVER_ERROR', async () => {
    jira().post('/rest/api/3/issue/OPS-42/comment').reply(500, 'boom');
    expect(await rejectionOf(() => client().addComment('OPS-42', 'x', 'public', META))).toMatchObject({
      code: 'SERVER_ERROR',
      retryable: true,
    });
  });

  it('a refused connection is a retryable NETWORK error', async () => {
    jira().post('/rest/api/3/issue/OPS-42/comment').replyWithError(socketError('ECONNREFUSED'));
    expect(await rejectionOf(() => client().addComment('OPS-42', 'x', 'public', META))).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  });

  it('an answer slower than timeoutMs is a retryable TIMEOUT', async () => {
    // A real listener that never answers: nock's delayed fetch replies do not honour the abort signal.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const slow = createJiraClient(
        { baseUrl: `http://127.0.0.1:${port}`, email: EMAIL, apiToken: TOKEN, timeoutMs: 100 },
        deps(),
      );
      expect(await rejectionOf(() => slow.addComment('OPS-42', 'x', 'public', META))).toMatchObject({
        code: 'TIMEOUT',
        retryable: true,
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses an issue key that would change the URL path', async () => {
    expect(await rejectionOf(() => client().addComment('../../admin', 'x', 'public', META))).toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
    });
  });

  it('never carries the API token in the error', async () => {
    jira().post('/rest/api/3/issue/OPS-42/comment').reply(401, { message: 'Client must be authenticated' });
    const err = (await rejectionOf(() => client().addComment('OPS-42', 'x', 'public', META))) as unknown as Error;
    for (const text of [String(err), err.stack ?? '', JSON.stringify(err), String(err.cause)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(AUTH.slice(6));
    }
  });
});
