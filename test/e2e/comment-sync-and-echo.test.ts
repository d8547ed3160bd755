import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adfToText } from '../../sandbox/jira/adf.ts';
import { majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, idle, logPayrollP1, writes } from './e2e-world.ts';

/**
 * (d) Comments both ways with visibility kept, and (e) no echo ping-pong: the simulators send
 * webhooks for mim-bridge's own writes too (ServiceNow as a business rule without the
 * integration-user condition, Jira for every change), and the writes stay bounded.
 */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('comment sync and echoes', () => {
  it('syncs comments both ways keeping their visibility, and our own writes coming back as webhooks ' +
    'change nothing', async () => {
    const { sandbox, service } = world;
    const record = logPayrollP1(world);
    const sysId = record.sys_id!;
    const key = await waitFor('the Jira issue on the major incident', 20_000, async () => {
      const [mi] = await majorIncidents(service, 'payroll');
      return mi ? (await miDetail(service, mi.id))?.majorIncident.links.jira?.key : undefined;
    });
    // The declaration's writes and their echoes are all through before the comments start.
    await idle(world);

    const texts = {
      snNote: 'SN work note: DB failover started',
      snPublic: 'SN comment: payroll is slow for everyone',
      jiraInternal: 'Jira internal: pool size raised to 200',
      jiraPublic: 'Jira public: fix deployed, watching',
    };
    sandbox.servicenow.act({ as: 'beth.anglin' }).workNote(sysId, texts.snNote);
    sandbox.servicenow.act({ as: 'beth.anglin' }).comment(sysId, texts.snPublic);
    sandbox.jira.act({ as: 'Priya Raman' }).comment(key, texts.jiraInternal, { internal: true });
    sandbox.jira.act({ as: 'Priya Raman' }).comment(key, texts.jiraPublic);

    const jiraComments = () =>
      sandbox.jira
        .issue(key)!
        .comments.map((c) => ({ text: adfToText(c.body), internal: c.internal, author: c.author.displayName }));
    const journal = () => sandbox.servicenow.journal(sysId);
    await waitFor(
      'all four comments synced',
      20_000,
      () =>
        jiraComments().some((c) => c.text.includes(texts.snNote) && c.author === 'mim-bridge') &&
        jiraComments().some((c) => c.text.includes(texts.snPublic) && c.author === 'mim-bridge') &&
        journal().some((j) => j.text.includes(texts.jiraInternal) && j.author === 'mim-bridge') &&
        journal().some((j) => j.text.includes(texts.jiraPublic) && j.author === 'mim-bridge'),
    );

    // Visibility kept: internal stays internal, public stays public.
    expect(jiraComments().filter((c) => c.text.includes(texts.snNote))).toEqual([
      expect.objectContaining({ internal: true, author: 'mim-bridge' }),
    ]);
    expect(jiraComments().filter((c) => c.text.includes(texts.snPublic))).toEqual([
      expect.objectContaining({ internal: false, author: 'mim-bridge' }),
    ]);
    const synced = (text: string) =>
      journal()
        .filter((j) => j.text.includes(text) && j.author === 'mim-bridge')
        .map((j) => j.field);
    expect(synced(texts.jiraInternal)).toEqual(['work_notes']);
    expect(synced(texts.jiraPublic)).toEqual(['comments']);

    // No echo: each text once where it was written and once where it was synced, never back again.
    await idle(world);
    for (const text of Object.values(texts)) {
      expect(
        journal().filter((j) => j.text.includes(text)),
        text,
      ).toHaveLength(1);
      expect(
        jiraComments().filter((c) => c.text.includes(text)),
        text,
      ).toHaveLength(1);
    }
    expect(jiraComments()).toHaveLength(4);
    expect(journal().filter((j) => j.text.startsWith('[Jira'))).toHaveLength(2);

    // Bounded: once quiet, it stays quiet (the echoes of our writes were taken in and dropped).
    const before = {
      sn: writes(sandbox.servicenow),
      jira: writes(sandbox.jira),
      pd: writes(sandbox.pagerduty),
      slack: writes(sandbox.slack),
    };
    await idle(world);
    expect({
      sn: writes(sandbox.servicenow),
      jira: writes(sandbox.jira),
      pd: writes(sandbox.pagerduty),
      slack: writes(sandbox.slack),
    }).toEqual(before);
    // The whole exchange: a handful of writes per system, not a loop.
    expect(before.jira).toBeLessThanOrEqual(12);
    expect(before.sn).toBeLessThanOrEqual(20);
    // mim-bridge's own changes did come back as webhooks (so the test exercises echo suppression).
    expect(sandbox.servicenow.deliveries.filter((d) => d.meta.user === 'mim-bridge').length).toBeGreaterThan(2);
    expect(
      sandbox.jira.deliveries.filter(
        (d) => d.meta.accountId === sandbox.jira.accountFor('mim-bridge@example.edu')?.accountId,
      ).length,
    ).toBeGreaterThan(2);
  }, 90_000);
});
