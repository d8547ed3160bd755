import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src/connectors/capabilities.ts';
import { createSlackChat, createSlackClient } from '../../../src/connectors/slack/outbound.ts';
import { deps, META, NOW, rejectionOf, responseFixture, socketError, useNock } from './helpers.ts';

const API = 'http://slack.test/api';
const TOKEN = 'xoxb-0000-secret-token';
const client = () => createSlackClient({ apiUrl: API, token: TOKEN, timeoutMs: 200 }, deps());
const slack = () =>
  nock('http://slack.test')
    .matchHeader('authorization', `Bearer ${TOKEN}`)
    .matchHeader('content-type', 'application/json; charset=utf-8');
const MESSAGE: ChatMessage = { title: 'P1 Email down', text: 'Failover in progress.' };
const BLOCKS = [
  { type: 'header', text: { type: 'plain_text', text: 'P1 Email down' } },
  { type: 'section', text: { type: 'mrkdwn', text: 'Failover in progress.', verbatim: true } },
];

describe('slack outbound (Web API)', () => {
  useNock();

  it('postMessage returns the ts of the vendor example answer', async () => {
    slack()
      .post('/api/chat.postMessage', { channel: 'C1H9RESGL', text: 'hello' })
      .reply(200, responseFixture('slack', 'chat_postMessage.ok'));
    expect(await client().postMessage({ channel: 'C1H9RESGL', text: 'hello' }, META)).toEqual({
      channel: 'C1H9RESGL',
      ts: '1503435956.000247',
    });
  });

  it('publishStatus posts blocks the first time and edits by ts afterwards', async () => {
    const chat = createSlackChat(client());
    slack()
      .post('/api/chat.postMessage', {
        channel: 'C1H9RESGL',
        text: 'P1 Email down\nFailover in progress.',
        blocks: BLOCKS,
        metadata: { event_type: 'mim_bridge_status', event_payload: { major_incident_id: META.incidentId } },
      })
      .reply(200, { ok: true, channel: 'C1H9RESGL', ts: '1503435956.000247' });
    const ref = await chat.publishStatus('C1H9RESGL', MESSAGE, META);
    expect(ref).toEqual({ channel: 'C1H9RESGL', ts: '1503435956.000247' });
    slack()
      .post('/api/chat.update', {
        channel: 'C1H9RESGL',
        ts: '1503435956.000247',
        text: 'P1 Email down\nFailover in progress.',
        blocks: BLOCKS,
      })
      .reply(200, { ok: true, channel: 'C1H9RESGL', ts: '1503435956.000247', text: 'x' });
    expect(await chat.publishStatus('C1H9RESGL', MESSAGE, META, ref)).toEqual(ref);
  });

  it(
    'a re-run without a stored ts finds the status message an earlier attempt posted (by its metadata) and edits ' +
      'it',
    async () => {
      const chat = createSlackChat(client());
      slack()
        .post('/api/conversations.list', {
          types: 'public_channel,private_channel',
          limit: 200,
          exclude_archived: true,
        })
        .reply(200, {
          ok: true,
          channels: [{ id: 'C1H9RESGL', name: 'payroll-status' }],
          response_metadata: { next_cursor: '' },
        })
        .post('/api/conversations.history', { channel: 'C1H9RESGL', limit: 200, include_all_metadata: true })
        .reply(200, {
          ok: true,
          messages: [
            {
              ts: '1503435999.000001',
              text: 'another incident',
              metadata: { event_type: 'mim_bridge_status', event_payload: { major_incident_id: 'MI-OTHER' } },
            },
            {
              ts: '1503435956.000247',
              text: 'ours',
              metadata: { event_type: 'mim_bridge_status', event_payload: { major_incident_id: META.incidentId } },
            },
          ],
        })
        .post('/api/chat.update', {
          channel: 'C1H9RESGL',
          ts: '1503435956.000247',
          text: 'P1 Email down\nFailover in progress.',
          blocks: BLOCKS,
        })
        .reply(200, { ok: true, channel: 'C1H9RESGL', ts: '1503435956.000247', text: 'x' });
      expect(await chat.publishStatus('#payroll-status', MESSAGE, META, undefined, true)).toEqual({
        channel: 'C1H9RESGL',
        ts: '1503435956.000247',
      });
    },
  );

  it('postUpdate threads under the status message', async () => {
    slack()
      .post('/api/chat.postMessage', {
        channel: 'C1H9RESGL',
        text: 'P1 Email down\nFailover in progress.',
        blocks: BLOCKS,
        thread_ts: '1503435956.000247',
      })
      .reply(200, { ok: true, channel: 'C1H9RESGL', ts: '1503435999.000100' });
    const ref = await createSlackChat(client()).postUpdate('C1H9RESGL', MESSAGE, META, {
      channel: 'C1H9RESGL',
      ts: '1503435956.000247',
    });
    expect(ref?.ts).toBe('1503435999.000100');
  });

  it('HTTP 200 with ok:false (vendor example) is a permanent SLACK_ error', async () => {
    slack().post('/api/chat.postMessage').reply(200, responseFixture('slack', 'chat_postMessage.error'));
    const err = await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META));
    expect(err).toMatchObject({ code: 'SLACK_TOO_MANY_ATTACHMENTS', vendor: 'slack', retryable: false });
  });

  it.each([
    ['channel_not_found', 'SLACK_CHANNEL_NOT_FOUND', false],
    ['not_in_channel', 'SLACK_NOT_IN_CHANNEL', false],
    ['invalid_auth', 'SLACK_INVALID_AUTH', false],
    ['msg_too_long', 'SLACK_MSG_TOO_LONG', false],
    ['internal_error', 'SLACK_INTERNAL_ERROR', true],
    ['some_future_error', 'SLACK_SOME_FUTURE_ERROR', false],
  ] as const)('ok:false %s → %s (retryable %s)', async (error, code, retryable) => {
    slack().post('/api/chat.update').reply(200, { ok: false, error });
    const err = await rejectionOf(() => client().updateMessage({ channel: 'C1', ts: '1.2', text: 'x' }, META));
    expect(err).toMatchObject({ code, retryable });
  });

  it('ok:false ratelimited is retryable and keeps Retry-After', async () => {
    slack().post('/api/chat.postMessage').reply(200, { ok: false, error: 'ratelimited' }, { 'Retry-After': '3' });
    const err = await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META));
    expect(err).toMatchObject({ code: 'SLACK_RATELIMITED', retryable: true, retryAfterMs: 3_000 });
  });

  it('HTTP 429 honours Retry-After (seconds and HTTP date)', async () => {
    slack().post('/api/chat.postMessage').reply(429, '', { 'Retry-After': '30' });
    expect(await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 30_000,
    });
    slack()
      .post('/api/chat.postMessage')
      .reply(429, '', { 'retry-after': new Date(NOW + 5_000).toUTCString() });
    expect(await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 5_000,
    });
  });

  it('5xx, resets and non-JSON 200s are classified', async () => {
    slack().post('/api/chat.postMessage').reply(503, 'down');
    expect(await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))).toMatchObject({
      code: 'UNAVAILABLE',
      retryable: true,
    });
    slack().post('/api/chat.postMessage').replyWithError(socketError('ECONNRESET'));
    expect(await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
    slack().post('/api/chat.postMessage').reply(200, '<html>proxy</html>');
    expect(await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))).toMatchObject({
      code: 'INVALID_RESPONSE',
      retryable: false,
    });
  });

  it('never carries the token in the error', async () => {
    slack().post('/api/chat.postMessage').reply(200, { ok: false, error: 'invalid_auth' });
    const err = (await rejectionOf(() => client().postMessage({ channel: 'C1', text: 'x' }, META))) as unknown as Error;
    expect(`${String(err)} ${JSON.stringify(err)} ${err.stack}`).not.toContain(TOKEN);
  });
});
