import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import { createServicenowTicketing } from '../../../src/connectors/servicenow/outbound-ticketing.ts';
import { deps, META, NOW, rejectionOf, responseFixture, socketError, useNock } from './helpers.ts';

const BASE = 'https://example.service-now.com';
const USER = 'mim.integration';
const PASSWORD = 'sn-secret-password-1';
const SYS_ID = '6f9e856f4fe503006ad47d218110c704';
const FIND_QUERY = {
  sysparm_query: 'correlation_id=MI-2025-0042',
  sysparm_limit: '1',
  sysparm_fields: 'sys_id,number,state,major_incident_state,correlation_id',
};

const client = () =>
  createServicenowClient({ baseUrl: BASE, username: USER, password: PASSWORD, timeoutMs: 200 }, deps());
const table = () =>
  nock(BASE).matchHeader('authorization', `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
const record = (extra: Record<string, string> = {}) => ({ sys_id: SYS_ID, number: 'INC0010010', state: '2', ...extra });

describe('servicenow outbound', () => {
  useNock();

  it('findByCorrelationId queries one record by correlation_id', async () => {
    table()
      .get('/api/now/table/incident')
      .query(FIND_QUERY)
      .reply(200, { result: [record({ correlation_id: 'MI-2025-0042' })] });
    const found = await client().findByCorrelationId('MI-2025-0042', META);
    expect(found?.sys_id).toBe(SYS_ID);
  });

  it(
    'createIncident checks the marker, then POSTs string values with correlation_id and ' + 'correlation_display',
    async () => {
      table().get('/api/now/table/incident').query(FIND_QUERY).reply(200, { result: [] });
      table()
        .post('/api/now/table/incident', {
          short_description: 'Email down',
          description: 'Nobody can send email',
          impact: '1',
          urgency: '1',
          assignment_group: 'a715cd759f2002002920bde8132e7018',
          correlation_id: 'MI-2025-0042',
          correlation_display: 'mim-bridge',
        })
        .reply(201, responseFixture('servicenow', 'table-incident.post'));
      const ticketing = createServicenowTicketing(client());
      const ensured = await ticketing.ensureTicket(
        {
          summary: 'Email down',
          description: 'Nobody can send email',
          priority: 1,
          target: 'a715cd759f2002002920bde8132e7018',
        },
        META,
      );
      expect(ensured).toEqual({ created: true, ticket: { vendor: 'servicenow', id: SYS_ID, key: 'INC0010010' } });
    },
  );

  it('createIncident returns the record an earlier attempt made instead of creating another', async () => {
    table()
      .get('/api/now/table/incident')
      .query(FIND_QUERY)
      .reply(200, { result: [record({ correlation_id: 'MI-2025-0042' })] });
    const result = await client().createIncident({ short_description: 'Email down' }, META);
    expect(result.created).toBe(false);
    expect(result.incident.sys_id).toBe(SYS_ID);
  });

  it('a caller cannot overwrite the correlation marker', async () => {
    table().get('/api/now/table/incident').query(FIND_QUERY).reply(200, { result: [] });
    table()
      .post('/api/now/table/incident', {
        short_description: 'x',
        correlation_id: 'MI-2025-0042',
        correlation_display: 'mim-bridge',
      })
      .reply(201, { result: record() });
    await client().createIncident(
      { short_description: 'x', correlation_id: 'evil', correlation_display: 'other' },
      META,
    );
  });

  it.each([
    [
      'updateIncident',
      (c: ReturnType<typeof client>) => c.updateIncident(SYS_ID, { major_incident_state: 'accepted' }, META),
      { major_incident_state: 'accepted' },
    ],
    [
      'addWorkNote',
      (c: ReturnType<typeof client>) => c.addWorkNote(SYS_ID, 'Paged the network team', META),
      { work_notes: 'Paged the network team' },
    ],
    [
      'addComment',
      (c: ReturnType<typeof client>) => c.addComment(SYS_ID, 'We are on it', META),
      { comments: 'We are on it' },
    ],
  ] as const)('%s PATCHes exactly the field', async (_op, run, body) => {
    table().patch(`/api/now/table/incident/${SYS_ID}`, body).reply(200, { result: record() });
    await run(client());
  });

  it('linkChild sets parent_incident on the child by sys_id', async () => {
    const child = 'a9e9c33dc61122760072455df62663d2';
    table()
      .patch(`/api/now/table/incident/${child}`, { parent_incident: SYS_ID })
      .reply(200, { result: record({ sys_id: child }) });
    await createServicenowTicketing(client()).linkChild(
      { vendor: 'servicenow', id: SYS_ID, key: 'INC0010010' },
      child,
      META,
    );
  });

  it('setStatus resolved writes state 6 with close code and notes; again is a no-op', async () => {
    const ticketing = createServicenowTicketing(client(), { defaultCloseCode: 'Solution provided' });
    const ref = { vendor: 'servicenow', id: SYS_ID, key: 'INC0010010' } as const;
    table()
      .get(`/api/now/table/incident/${SYS_ID}`)
      .reply(200, { result: record({ state: '2' }) });
    table()
      .patch(`/api/now/table/incident/${SYS_ID}`, {
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Failover completed',
      })
      .reply(200, { result: record({ state: '6' }) });
    await ticketing.setStatus(ref, 'resolved', META, { notes: 'Failover completed' });
    table()
      .get(`/api/now/table/incident/${SYS_ID}`)
      .reply(200, { result: record({ state: '6' }) });
    await ticketing.setStatus(ref, 'resolved', META);
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [410, 'GONE'],
    [422, 'UNPROCESSABLE'],
  ])('HTTP %i is permanent: %s', async (status, code) => {
    table()
      .patch(`/api/now/table/incident/${SYS_ID}`)
      .reply(status, { error: { message: 'nope', detail: '' }, status: 'failure' });
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ name: 'ConnectorError', code, vendor: 'servicenow', status, retryable: false });
  });

  it.each([[500], [502], [504]])('HTTP %i is a retryable SERVER_ERROR', async (status) => {
    table().patch(`/api/now/table/incident/${SYS_ID}`).reply(status, 'oops');
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'SERVER_ERROR', status, retryable: true, retryAfterMs: undefined });
  });

  it('429 honours Retry-After in seconds', async () => {
    table().patch(`/api/now/table/incident/${SYS_ID}`).reply(429, {}, { 'Retry-After': '30' });
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 30_000 });
  });

  it('429 honours X-RateLimit-Reset in epoch seconds when Retry-After is absent', async () => {
    table()
      .patch(`/api/now/table/incident/${SYS_ID}`)
      .reply(429, {}, { 'x-ratelimit-reset': String(NOW / 1000 + 90) });
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 90_000 });
  });

  it('503 honours Retry-After as an HTTP date', async () => {
    table()
      .patch(`/api/now/table/incident/${SYS_ID}`)
      .reply(503, '', { 'retry-after': new Date(NOW + 120_000).toUTCString() });
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'UNAVAILABLE', retryable: true, retryAfterMs: 120_000 });
  });

  it('a timeout is retryable', async () => {
    table().patch(`/api/now/table/incident/${SYS_ID}`).delay(1_000).reply(200, { result: record() });
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('a reset connection is a retryable NETWORK error', async () => {
    table().patch(`/api/now/table/incident/${SYS_ID}`).replyWithError(socketError('ECONNRESET'));
    const err = await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META));
    expect(err).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('a 2xx without {result} is a permanent INVALID_RESPONSE', async () => {
    table().get(`/api/now/table/incident/${SYS_ID}`).reply(200, '<html>login</html>', { 'content-type': 'text/html' });
    const err = await rejectionOf(() => client().getIncident(SYS_ID, META));
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false });
  });

  it('refuses a sys_id that is not 32 hex characters without calling out', async () => {
    const err = await rejectionOf(() => client().getIncident('../sys_user', META));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
  });

  it('refuses a marker that could alter the encoded query', async () => {
    const err = await rejectionOf(() => client().findByCorrelationId('x^ORactive=true', META));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
  });

  it('never carries the password in the error, its cause or its JSON', async () => {
    table()
      .patch(`/api/now/table/incident/${SYS_ID}`)
      .reply(401, { error: { message: 'User Not Authenticated' } });
    const err = (await rejectionOf(() => client().addWorkNote(SYS_ID, 'x', META))) as unknown as Error;
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    for (const text of [
      String(err),
      err.stack ?? '',
      JSON.stringify(err),
      String(err.cause),
      JSON.stringify(err.cause ?? null),
    ]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(basic);
    }
  });
});
