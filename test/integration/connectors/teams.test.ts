import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createTeamsChat, createTeamsClient } from '../../../src/connectors/teams/outbound.ts';
import { deps, META, rejectionOf, socketError, useNock } from './helpers.ts';

const HOST = 'https://prod-00.westeurope.logic.azure.test';
const PATH = '/workflows/abc/triggers/manual/paths/invoke';
const QUERY = 'api-version=2016-06-01&sig=SECRET-SIGNATURE';
const WEBHOOK = `${HOST}${PATH}?${QUERY}`;
const chat = () => createTeamsChat(createTeamsClient({ webhooks: { 'it-leaders': WEBHOOK }, timeoutMs: 200 }, deps()));
const MESSAGE = {
  title: 'Major incident: Email down',
  text: 'We are handling a major incident.\n\nNext update by 09:35 UTC.',
  facts: [{ title: 'Priority', value: 'P1' }],
  links: [{ title: 'Status page', url: 'https://status.example/' }],
};

describe('teams outbound (incoming webhook / Workflow)', () => {
  useNock();

  it('posts the message envelope with an Adaptive Card 1.4', async () => {
    nock(HOST)
      .post(`${PATH}?${QUERY}`, {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: 'Major incident: Email down', weight: 'Bolder', size: 'Medium', wrap: true },
                { type: 'TextBlock', text: 'We are handling a major incident.', wrap: true },
                { type: 'TextBlock', text: 'Next update by 09:35 UTC.', wrap: true },
                { type: 'FactSet', facts: [{ title: 'Priority', value: 'P1' }] },
              ],
              actions: [{ type: 'Action.OpenUrl', title: 'Status page', url: 'https://status.example/' }],
            },
          },
        ],
      })
      .reply(202);
    expect(await chat().publishStatus('it-leaders', MESSAGE, META)).toBeUndefined();
  });

  it('legacy connector webhooks answer 200 "1"', async () => {
    nock(HOST).post(`${PATH}?${QUERY}`).reply(200, '1');
    await chat().postUpdate('it-leaders', MESSAGE, META);
  });

  it('a 200 naming an HTTP error in its text is classified by that status', async () => {
    nock(HOST)
      .post(`${PATH}?${QUERY}`)
      .reply(
        200,
        'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ' +
          'ContextId tcid=0',
      );
    expect(await rejectionOf(() => chat().postUpdate('it-leaders', MESSAGE, META))).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
    });
  });

  it('refuses a card over 28 KB before sending', async () => {
    const err = await rejectionOf(() =>
      chat().postUpdate('it-leaders', { ...MESSAGE, text: 'x'.repeat(29 * 1024) }, META),
    );
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', vendor: 'teams', retryable: false });
  });

  it('an unknown webhook name is refused', async () => {
    expect(await rejectionOf(() => chat().postUpdate('nobody', MESSAGE, META))).toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
    });
  });

  it.each([
    [400, 'BAD_REQUEST', false],
    [404, 'NOT_FOUND', false],
    [429, 'RATE_LIMITED', true],
    [500, 'SERVER_ERROR', true],
  ] as const)('HTTP %i → %s', async (status, code, retryable) => {
    nock(HOST).post(`${PATH}?${QUERY}`).reply(status, 'error');
    expect(await rejectionOf(() => chat().postUpdate('it-leaders', MESSAGE, META))).toMatchObject({
      code,
      status,
      retryable,
    });
  });

  it('network errors are retryable and never show the webhook URL', async () => {
    nock(HOST).post(`${PATH}?${QUERY}`).replyWithError(socketError('ECONNRESET'));
    const err = (await rejectionOf(() => chat().postUpdate('it-leaders', MESSAGE, META))) as unknown as Error;
    expect(err).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(`${String(err)} ${JSON.stringify(err)} ${String(err.cause)}`).not.toContain('SECRET-SIGNATURE');
  });
});
