import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createPagerdutyClient, createPagerdutyPaging } from '../../../src/connectors/pagerduty/outbound.ts';
import { deps, META, rejectionOf, socketError, useNock } from './helpers.ts';

const EVENTS = 'https://events.pagerduty.test';
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';
const CONFIG = { eventsUrl: EVENTS, routingKeys: { Email: ROUTING_KEY }, timeoutMs: 200 };
const paging = () => createPagerdutyPaging(createPagerdutyClient(CONFIG, deps()), CONFIG);
const ACCEPTED = { status: 'success', message: 'Event processed', dedup_key: 'MI-2025-0042' };

describe('pagerduty outbound (Events API v2)', () => {
  useNock();

  it('trigger sends the event with dedup_key = major incident id and parses the 202', async () => {
    nock(EVENTS)
      .post('/v2/enqueue', {
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: 'MI-2025-0042',
        payload: {
          summary: 'P1 Email down',
          source: 'mim-bridge',
          severity: 'critical',
          custom_details: { services: 'Email' },
        },
        links: [{ href: 'https://jira.example/browse/OPS-42', text: 'OPS-42' }],
        client: 'mim-bridge',
      })
      .reply(202, ACCEPTED);
    const ref = await paging().trigger(
      {
        service: 'Email',
        summary: 'P1 Email down',
        source: 'mim-bridge',
        severity: 'critical',
        details: { services: 'Email' },
        links: [{ href: 'https://jira.example/browse/OPS-42', text: 'OPS-42' }],
      },
      META,
    );
    expect(ref).toEqual({ dedupKey: 'MI-2025-0042' });
  });

  it('cuts the summary to 1024 characters', async () => {
    const long = 'x'.repeat(1500);
    nock(EVENTS)
      .post('/v2/enqueue', (body: { payload: { summary: string } }) => body.payload.summary === `${'x'.repeat(1023)}…`)
      .reply(202, ACCEPTED);
    await paging().trigger({ service: 'Email', summary: long, source: 'mim-bridge', severity: 'error' }, META);
  });

  it.each(['acknowledge', 'resolve'] as const)('%s uses the same routing key and dedup key', async (action) => {
    nock(EVENTS)
      .post('/v2/enqueue', { routing_key: ROUTING_KEY, event_action: action, dedup_key: 'MI-2025-0042' })
      .reply(202, ACCEPTED);
    expect(await paging()[action]('Email', META)).toEqual({ dedupKey: 'MI-2025-0042' });
  });

  it('a service without a routing key is refused before any call', async () => {
    const err = await rejectionOf(() =>
      paging().trigger({ service: 'Unknown', summary: 's', source: 'x', severity: 'info' }, META),
    );
    expect(err).toMatchObject({ code: 'INVALID_INPUT', vendor: 'pagerduty', retryable: false });
  });

  it('400 invalid event is permanent', async () => {
    nock(EVENTS)
      .post('/v2/enqueue')
      .reply(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'payload.severity' is invalid"],
      });
    const err = await rejectionOf(() => paging().resolve('Email', META));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', status: 400, retryable: false });
  });

  it('429 is retryable and honours Retry-After when given', async () => {
    nock(EVENTS)
      .post('/v2/enqueue')
      .reply(
        429,
        { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
        { 'Retry-After': '12' },
      );
    const err = await rejectionOf(() => paging().resolve('Email', META));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 12_000 });
  });

  it('5xx and network errors are retryable', async () => {
    nock(EVENTS).post('/v2/enqueue').reply(502, 'Bad Gateway');
    expect(await rejectionOf(() => paging().resolve('Email', META))).toMatchObject({
      code: 'SERVER_ERROR',
      retryable: true,
    });
    nock(EVENTS).post('/v2/enqueue').replyWithError(socketError('ENOTFOUND'));
    expect(await rejectionOf(() => paging().resolve('Email', META))).toMatchObject({
      code: 'NETWORK',
      retryable: true,
    });
  });

  it('a 202 without dedup_key is INVALID_RESPONSE', async () => {
    nock(EVENTS).post('/v2/enqueue').reply(202, { status: 'success' });
    expect(await rejectionOf(() => paging().resolve('Email', META))).toMatchObject({
      code: 'INVALID_RESPONSE',
      retryable: false,
    });
  });

  it('an id longer than 255 characters becomes a stable digest, never a truncation', async () => {
    const client = createPagerdutyClient(CONFIG, deps());
    const long = `MI-${'9'.repeat(300)}`;
    const key = client.dedupKeyFor(long);
    expect(key).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(client.dedupKeyFor(long)).toBe(key);
    expect(client.dedupKeyFor(`${long}0`)).not.toBe(key);
  });
});
