import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsChat, createTeamsClient } from '../../../src/connectors/teams/outbound.ts';
import { createTeamsSim, type TeamsSim } from '../../../sandbox/teams/index.ts';

const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const deps = { logger: pino({ level: 'silent' }) };
const MESSAGE = {
  title: 'MI-2025-0042 Payroll down',
  text: 'Payroll runs fail.',
  facts: [{ title: 'Status', value: 'Investigating' }],
};

describe('teams simulator with the real connector', () => {
  let sim: TeamsSim;
  const start = async (mode?: 'workflow' | 'connector') => {
    sim = createTeamsSim({ webhooks: ['exec', 'ops'], mode });
    await sim.listen();
    return createTeamsChat(createTeamsClient({ webhooks: sim.webhookUrls(), timeoutMs: 2_000 }, deps));
  };
  afterEach(() => sim.close());

  it.each(['workflow', 'connector'] as const)(
    '%s mode: accepts the cards mim-bridge sends and keeps them per webhook',
    async (mode) => {
      const chat = await start(mode);
      await chat.publishStatus('exec', MESSAGE, META);
      await chat.postUpdate('exec', { title: 'Update', text: 'Fix deploying' }, META);
      await chat.postUpdate('ops', MESSAGE, META);
      expect(sim.cards('exec').map((c) => (c.card.body as { text: string }[])[0]?.text)).toEqual([
        'MI-2025-0042 Payroll down',
        'Update',
      ]);
      expect(sim.cards('ops')).toHaveLength(1);
      expect(sim.requests.map((r) => r.status)).toEqual(mode === 'workflow' ? [202, 202, 202] : [200, 200, 200]);
    },
  );

  it('rejects a malformed envelope with 400 and a message; the real client sees a permanent error', async () => {
    await start();
    const client = createTeamsClient({ webhooks: sim.webhookUrls(), timeoutMs: 2_000 }, deps);
    const bad = {
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } },
      ],
    };
    await expect(client.post('exec', bad as never, META)).rejects.toMatchObject({ status: 400, retryable: false });
    const res = await fetch(sim.webhookUrl('exec'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'classic MessageCard text' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'InvalidRequestContent', message: expect.stringContaining('type') },
    });
    const notJson = await fetch(sim.webhookUrl('exec'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(sim.cards('exec')).toHaveLength(0);
  });

  it('a wrong sig is 401 and an unknown workflow 404', async () => {
    const chat = await start();
    const tampered = sim.webhookUrl('exec').replace(/sig=[^&]+/, 'sig=wrong');
    const wrong = createTeamsChat(
      createTeamsClient(
        {
          webhooks: { exec: tampered, gone: `${sim.url()}/workflows/gone/triggers/manual/paths/invoke?sig=x` },
          timeoutMs: 2_000,
        },
        deps,
      ),
    );
    await expect(wrong.postUpdate('exec', MESSAGE, META)).rejects.toMatchObject({ status: 401, retryable: false });
    await expect(wrong.postUpdate('gone', MESSAGE, META)).rejects.toMatchObject({ status: 404, retryable: false });
    await chat.postUpdate('exec', MESSAGE, META);
    expect(sim.cards('exec')).toHaveLength(1);
  });

  it('fault injection: 429 with Retry-After, then it recovers', async () => {
    const chat = await start();
    sim.inject({ kind: 'rate_limit', count: 1, retryAfterSeconds: 2 });
    await expect(chat.postUpdate('exec', MESSAGE, META)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 2_000,
    });
    await chat.postUpdate('exec', MESSAGE, META);
    expect(sim.cards('exec')).toHaveLength(1);
  });
});
