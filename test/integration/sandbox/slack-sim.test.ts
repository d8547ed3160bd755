import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat, createSlackClient } from '../../../src/connectors/slack/outbound.ts';
import { createSlackSim, type SlackSim } from '../../../sandbox/slack/index.ts';

const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const deps = { logger: pino({ level: 'silent' }) };
const MESSAGE = {
  title: 'MI-2025-0042 Payroll down',
  text: 'Payroll runs fail.\n\nWe are on it.',
  facts: [{ title: 'Status', value: 'Investigating' }],
  links: [{ title: 'OPS-1', url: 'https://jira.example/browse/OPS-1' }],
};

describe('slack simulator with the real connector', () => {
  let sim: SlackSim;
  let t: number;
  const client = (token = sim.token) => createSlackClient({ apiUrl: sim.apiUrl(), token, timeoutMs: 2_000 }, deps);
  const post = (body: unknown, token: string | null = sim.token) =>
    fetch(`${sim.apiUrl()}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    t = Date.parse('2025-06-01T12:00:00Z');
    sim = createSlackSim({
      channels: ['major-incidents', 'exec'],
      rateLimit: { perSecond: 1, burst: 2 },
      now: () => t,
    });
    await sim.listen();
  });
  afterEach(() => sim.close());

  it('the status message is posted, edited in place, and updates go in its thread', async () => {
    const chat = createSlackChat(client());
    const status = await chat.publishStatus('#major-incidents', MESSAGE, META);
    const channel = sim.channel('major-incidents')!;
    expect(status).toEqual({ channel: channel.id, ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    t += 5_000;
    const edited = await chat.publishStatus(
      '#major-incidents',
      { ...MESSAGE, title: 'MI-2025-0042 Payroll degraded' },
      META,
      status,
    );
    expect(edited).toEqual(status);
    const reply = await chat.postUpdate('#major-incidents', { title: 'Update', text: 'Fix deploying' }, META, status);
    expect(reply!.ts > status!.ts).toBe(true);
    const [top, ...others] = sim.messages('major-incidents');
    expect(others).toHaveLength(0);
    expect(top?.text).toContain('Payroll degraded');
    expect(top?.edits.map((e) => e.text)).toEqual([expect.stringContaining('Payroll down')]);
    expect(top?.replies.map((r) => r.thread_ts)).toEqual([status!.ts]);
    expect((top!.blocks as { type: string }[])[0]?.type).toBe('header');
  });

  it('answers ok:false with Slack error strings, classified by the real connector', async () => {
    await expect(client().postMessage({ channel: '#nowhere', text: 'x' }, META)).rejects.toMatchObject({
      code: 'SLACK_CHANNEL_NOT_FOUND',
      retryable: false,
    });
    await expect(client('xoxb-wrong').postMessage({ channel: '#exec', text: 'x' }, META)).rejects.toMatchObject({
      code: 'SLACK_INVALID_AUTH',
      retryable: false,
    });
    await expect(
      client().updateMessage({ channel: sim.channel('exec')!.id, ts: '1.000001', text: 'x' }, META),
    ).rejects.toMatchObject({
      code: 'SLACK_MESSAGE_NOT_FOUND',
    });
    expect(await (await post({ channel: '#exec', text: 'x' }, null)).json()).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(await (await post({ channel: '#exec' })).json()).toEqual({ ok: false, error: 'no_text' });
    const res = await post({ text: 'x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: 'channel_not_found' });
    expect(sim.messages('exec')).toHaveLength(0);
  });

  it('answers ok:true with channel, ts and message, and unique increasing ts', async () => {
    const a = (await (await post({ channel: 'exec', text: 'one' })).json()) as { ts: string };
    const b = (await (await post({ channel: 'exec', text: 'two' })).json()) as { ts: string };
    expect(a).toMatchObject({
      ok: true,
      channel: sim.channel('exec')!.id,
      message: { type: 'message', text: 'one', ts: a.ts },
    });
    expect(b.ts > a.ts).toBe(true);
  });

  it('a burst beyond the per-channel limit answers 429 + Retry-After: RATE_LIMITED in the real connector', async () => {
    const c = client();
    await c.postMessage({ channel: '#exec', text: '1' }, META);
    await c.postMessage({ channel: '#exec', text: '2' }, META);
    await expect(c.postMessage({ channel: '#exec', text: '3' }, META)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 1_000,
    });
    // Another channel has its own budget, and chat.update is not limited this way.
    await c.postMessage({ channel: '#major-incidents', text: 'x' }, META);
    const first = sim.messages('exec')[0]!;
    await c.updateMessage({ channel: sim.channel('exec')!.id, ts: first.ts, text: '1 edited' }, META);
    t += 1_000;
    await c.postMessage({ channel: '#exec', text: '3' }, META);
    expect(sim.messages('exec').map((m) => m.text)).toEqual(['1 edited', '2', '3']);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('fault injection: 503 and a dropped connection are retryable; the message is not stored', async () => {
    sim.inject({ kind: 'unavailable', count: 1, retryAfterSeconds: 3, path: /chat\.postMessage/ });
    await expect(client().postMessage({ channel: '#exec', text: 'x' }, META)).rejects.toMatchObject({
      status: 503,
      retryable: true,
      retryAfterMs: 3_000,
    });
    sim.inject({ kind: 'drop', count: 1 });
    await expect(client().postMessage({ channel: '#exec', text: 'x' }, META)).rejects.toMatchObject({
      retryable: true,
    });
    expect(sim.messages('exec')).toHaveLength(0);
    expect(sim.requests.map((r) => r.fault)).toEqual(['unavailable', 'drop']);
  });
});
