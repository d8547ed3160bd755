import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizePagerduty, verifyPagerduty } from '../../../src/connectors/pagerduty/inbound.ts';
import { createPagerdutyClient, createPagerdutyPaging } from '../../../src/connectors/pagerduty/outbound.ts';
import { createPagerdutySim, type PagerdutySim } from '../../../sandbox/pagerduty/index.ts';

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';
const SECRET = 'sandbox-webhook-secret';
const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const deps = { logger: pino({ level: 'silent' }) };

interface Received {
  readonly rawBody: Buffer;
  readonly headers: IncomingHttpHeaders;
}

/** mim-bridge's webhook endpoint as far as the simulator can tell: it keeps the raw bytes. */
async function receiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/pagerduty`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const inbound = (r: Received) => ({
  rawBody: r.rawBody,
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
  receivedAt: new Date(),
});

describe('pagerduty simulator with the real connector', () => {
  let sim: PagerdutySim;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const paging = () => {
    const config = { eventsUrl: sim.url(), routingKeys: { Payroll: ROUTING_KEY }, timeoutMs: 2_000 };
    return createPagerdutyPaging(createPagerdutyClient(config, deps), config);
  };
  const page = {
    service: 'Payroll',
    summary: 'P1 payroll down',
    source: 'mim-bridge',
    severity: 'critical' as const,
    details: { services: 'Payroll' },
    links: [{ href: 'https://jira.example/browse/OPS-1', text: 'OPS-1' }],
  };

  beforeEach(async () => {
    hook = await receiver();
    sim = createPagerdutySim({ webhookUrl: hook.url, webhookSecret: SECRET, services: { [ROUTING_KEY]: 'Payroll' } });
    await sim.listen();
  });
  afterEach(async () => {
    await sim.close();
    await hook.close();
  });

  it('accepts what the real client sends; a repeated trigger keeps one incident', async () => {
    expect(await paging().trigger(page, META)).toEqual({ dedupKey: 'MI-2025-0042' });
    await paging().trigger({ ...page, summary: 'P1 payroll still down' }, META);
    expect(sim.incidents).toHaveLength(1);
    expect(sim.incident('MI-2025-0042')).toMatchObject({
      routingKey: ROUTING_KEY,
      status: 'triggered',
      title: 'P1 payroll still down',
      serviceName: 'Payroll',
    });
    expect(sim.requests.map((r) => r.status)).toEqual([202, 202]);
  });

  it('acknowledge and resolve through the Events API move the incident and notify, as PagerDuty does', async () => {
    await paging().trigger(page, META);
    await paging().acknowledge('Payroll', META);
    await paging().resolve('Payroll', META);
    await sim.settled();
    expect(sim.incident('MI-2025-0042')?.status).toBe('resolved');
    expect(sim.deliveries.map((d) => d.eventType).sort()).toEqual(['incident.acknowledged', 'incident.resolved']);
    await paging().trigger(page, META);
    expect(sim.incidents.map((i) => i.status)).toEqual(['resolved', 'triggered']);
  });

  it('rejects with 400 invalid event, which the real client classifies as permanent', async () => {
    const config = { eventsUrl: sim.url(), routingKeys: { Payroll: 'too-short' }, timeoutMs: 2_000 };
    const bad = createPagerdutyPaging(createPagerdutyClient(config, deps), config);
    await expect(bad.trigger(page, META)).rejects.toMatchObject({ status: 400, retryable: false });
    expect(sim.incidents).toHaveLength(0);
    const res = await fetch(`${sim.url()}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        payload: { summary: 'x', source: 'y', severity: 'high' },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 'invalid event',
      message: expect.any(String),
      errors: [expect.stringContaining('payload.severity')],
    });
    const notJson = await fetch(`${sim.url()}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ status: 'invalid event' });
  });

  it('a trigger without dedup_key gets a generated one back; the next such trigger is another incident', async () => {
    const body = {
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      payload: { summary: 'disk full', source: 'host-1', severity: 'warning' },
    };
    const send = async () =>
      (await (
        await fetch(`${sim.url()}/v2/enqueue`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as Record<string, string>;
    const [a, b] = [await send(), await send()];
    expect(a).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(b.dedup_key).not.toBe(a.dedup_key);
    expect(sim.incidents.map((i) => i.dedupKey)).toEqual([a.dedup_key, b.dedup_key]);
  });

  it('a person acknowledging sends a signed v3 webhook the real verifier and normalizer accept', async () => {
    await paging().trigger(page, META);
    const delivery = await sim.acknowledge('MI-2025-0042', { as: 'Ben' });
    expect(delivery?.status).toBe(202);
    expect(hook.received).toHaveLength(1);
    const req = inbound(hook.received[0]!);
    expect(verifyPagerduty(req, [SECRET])).toBe(true);
    expect(verifyPagerduty(req, ['another-secret'])).toBe(false);
    expect(req.headers['x-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    const sent = JSON.parse(req.rawBody.toString('utf8')) as { event: { id: string } };
    const result = normalizePagerduty(sent, req);
    expect(result.kind).toBe('event');
    if (result.kind !== 'event') return;
    // The duplicate key is the signed event.id; the unsigned X-Webhook-Id header is only logged.
    expect(result.event).toMatchObject({
      source: 'pagerduty',
      kind: 'page.acknowledged',
      deliveryId: sent.event.id,
      serviceName: 'Payroll',
      page: { dedupKey: 'MI-2025-0042', status: 'acknowledged', agent: 'Ben', serviceName: 'Payroll', urgency: 'high' },
    });
    expect(sim.incident('MI-2025-0042')?.history.at(-1)).toMatchObject({
      action: 'acknowledge',
      by: 'Ben',
      status: 'acknowledged',
    });
  });

  it('a person resolving sends incident.resolved; nothing is sent for an incident that is not open', async () => {
    await paging().trigger(page, META);
    await sim.resolve('MI-2025-0042', { as: 'Ben' });
    expect(await sim.resolve('MI-2025-0042', { as: 'Ben' })).toBeUndefined();
    expect(await sim.acknowledge('no-such-key', { as: 'Ben' })).toBeUndefined();
    expect(hook.received).toHaveLength(1);
    const req = inbound(hook.received[0]!);
    const result = normalizePagerduty(JSON.parse(req.rawBody.toString('utf8')), req);
    expect(result.kind === 'event' && result.event.kind).toBe('page.resolved');
    // The API resolve after a person's resolve has nothing to do, and is still accepted.
    expect(await paging().resolve('Payroll', META)).toEqual({ dedupKey: 'MI-2025-0042' });
  });

  it('fault injection: a 429 with Retry-After reaches the real client as RATE_LIMITED, then it recovers', async () => {
    sim.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: 7 });
    await expect(paging().trigger(page, META)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7_000,
    });
    expect(sim.incidents).toHaveLength(0);
    await paging().trigger(page, META);
    expect(sim.incidents).toHaveLength(1);
    sim.inject({ kind: 'unavailable', count: 1 });
    await expect(paging().acknowledge('Payroll', META)).rejects.toMatchObject({ status: 503, retryable: true });
    sim.inject({ kind: 'drop', count: 1 });
    await expect(paging().acknowledge('Payroll', META)).rejects.toMatchObject({ retryable: true });
    expect(sim.incident('MI-2025-0042')?.status).toBe('triggered');
  });
});
