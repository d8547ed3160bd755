import { describe, expect, it } from 'vitest';
import { PAYROLL_CHANNELS } from '../../sandbox/demo/payroll-story.ts';
import { workersKilled } from './lib/workers-killed.ts';

describe('chaos: mim-bridge SIGKILLed at random points while a storm is processed', () => {
  it('no duplicate vendor-side object and no planned action lost', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? 20261201);
    const r = await workersKilled({ kills: 2, storm: 12, seed });
    console.log(r.line);
    expect(r.undelivered).toBe(0);
    expect(r.jiraIssues).toBe(1);
    expect(r.pagerdutyIncidents).toBe(1);
    expect(r.slackPerChannel).toEqual(Object.fromEntries(PAYROLL_CHANNELS.slack.map((c) => [c, 1])));
    expect(r.children).toBe(12);
    expect(r.outbox).toBe(0);
    expect(r.pending).toEqual({});
    expect(r.failed).toBe(0);
    expect(r.deadLetters).toBe(0);
  }, 110_000);
});

describe(
  'chaos: mim-bridge SIGKILLed the instant Slack has answered the status message, before its ts is ' + 'stored',
  () => {
    it('posts no second status message in that channel (Slack has no idempotency key; the re-run must find the ' +
      'first)', async () => {
      const seed = Number(process.env.CHAOS_SEED ?? 20261201);
      const r = await workersKilled({ kills: 0, storm: 3, seed, killOnSlackAnswer: true });
      console.log(r.line.replace('chaos workers-killed', 'chaos workers-killed-on-slack-answer'));
      expect(r.undelivered).toBe(0);
      expect(r.jiraIssues).toBe(1);
      expect(r.pagerdutyIncidents).toBe(1);
      expect(r.outbox).toBe(0);
      expect(r.pending).toEqual({});
      expect(r.failed).toBe(0);
      expect(r.deadLetters).toBe(0);
      expect(r.slackPerChannel).toEqual(Object.fromEntries(PAYROLL_CHANNELS.slack.map((c) => [c, 1])));
    }, 110_000);
  },
);
