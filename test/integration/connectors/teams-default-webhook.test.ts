import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsChat, createTeamsClient } from '../../../src/connectors/teams/outbound.ts';
import { createTeamsSim, type TeamsSim } from '../../../sandbox/teams/index.ts';

/** TEAMS_WEBHOOK_URL (`defaultWebhook`) takes the cards of an audience whose MIM_ROUTE_* variable is unset. */
const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const MESSAGE = { title: 'MI-2025-0042 Payroll down', text: 'Payroll runs fail.' };

describe('teams: the default webhook', () => {
  let sim: TeamsSim;
  let lines: Record<string, unknown>[];
  const logger = () =>
    pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _e, cb) {
          lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          cb();
        },
      }),
    );

  beforeEach(async () => {
    lines = [];
    sim = createTeamsSim({ webhooks: ['finance', 'mim-default'] });
    await sim.listen();
  });
  afterEach(() => sim.close());

  it('sends an audience without its own webhook to TEAMS_WEBHOOK_URL, warning once per variable', async () => {
    const chat = createTeamsChat(
      createTeamsClient(
        {
          webhooks: { MIM_ROUTE_TEAMS_FINANCE: sim.webhookUrl('finance') },
          defaultWebhook: sim.webhookUrl('mim-default'),
        },
        { logger: logger() },
      ),
    );
    await chat.publishStatus('MIM_ROUTE_TEAMS_FINANCE', MESSAGE, META);
    await chat.publishStatus('MIM_ROUTE_TEAMS_ALL_STAFF', MESSAGE, META);
    await chat.postUpdate('MIM_ROUTE_TEAMS_ALL_STAFF', { title: 'Update', text: 'Fix deploying' }, META);
    expect(sim.cards('finance')).toHaveLength(1);
    expect(sim.cards('mim-default')).toHaveLength(2);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, vendor: 'teams', webhook: 'MIM_ROUTE_TEAMS_ALL_STAFF' }),
    ]);
    // The variable's name is logged, never a URL (it holds its signature).
    expect(JSON.stringify(lines)).not.toContain('sig=');
  });

  it('without TEAMS_WEBHOOK_URL an unset variable is a permanent error naming it, and nothing is sent', async () => {
    const chat = createTeamsChat(
      createTeamsClient({ webhooks: { MIM_ROUTE_TEAMS_FINANCE: sim.webhookUrl('finance') } }, { logger: logger() }),
    );
    await expect(chat.publishStatus('MIM_ROUTE_TEAMS_ALL_STAFF', MESSAGE, META)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
      detail: expect.stringContaining('MIM_ROUTE_TEAMS_ALL_STAFF'),
    });
    expect(sim.received).toHaveLength(0);
  });
});
