import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CADENCE } from '../../sandbox/demo/run-demo.ts';
import { payrollStory } from '../../sandbox/demo/payroll-story.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { INTEGRATION } from '../../sandbox/index.ts';
import { userSysId } from '../../sandbox/servicenow/promotion.ts';
import { e2eWorld, idle, play } from './e2e-world.ts';

/**
 * The demo's payroll story against the ServiceNow simulator: the origin record is accepted the
 * way ServiceNow's Promote action leaves it (who and when), and the service desk's record gets
 * one work note per communication round, never one per message.
 */
let world: World;
beforeAll(async () => {
  world = await e2eWorld({ cadence: DEMO_CADENCE, autoPost: true });
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('the ServiceNow origin record as its admins expect it', () => {
  it('is promoted with who and when, and gets one work note per round', async () => {
    const ctx = await play(world, payrollStory);
    await idle(world);
    const { servicenow } = world.sandbox;
    const origin = servicenow.record(ctx.state.originSysId ?? '');
    expect(servicenow.promotionViolations()).toEqual([]);
    expect(origin).toMatchObject({
      major_incident_state: 'accepted',
      promoted_by: userSysId(INTEGRATION.servicenowUser),
      promoted_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    const notes = servicenow
      .journal(origin?.sys_id ?? '')
      .filter((e) => e.field === 'work_notes' && e.text.startsWith('mim-bridge sent '))
      .map((e) => e.text.split('\n'));
    // Three rounds (declared, the cadence update, resolved), each told to the seven channels of the
    // shipped audiences (three Slack channels, one Teams card, three email lists): one note each.
    expect(notes.map((lines) => [lines[0], lines.length])).toEqual(
      ['declared', 'update', 'resolved'].map((template) => [
        expect.stringMatching(new RegExp(`^mim-bridge sent the ${template} messages of this round `)),
        8,
      ]),
    );
  }, 90_000);
});
