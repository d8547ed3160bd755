import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jiraExecutor } from '../../../src/actions/jira.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { DEFAULT_JIRA_SETTINGS } from '../../../src/connectors/jira/outbound-settings.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { ROUND_NOTE_CHANNEL, ROUND_SETTLE_MS } from '../../../src/orchestrator/round-note.ts';
import { loadTemplates, type TemplateSet } from '../../../src/templates/index.ts';
import { ROUND_T0, ROUND_TITLE, roundWorld } from '../../helpers/round-world.ts';
import { adfToText } from '../../../sandbox/jira/adf.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';

/**
 * One internal comment per communication round on a Jira-origin major incident, written to the
 * Jira simulator (a JSM service project, where an internal comment carries the `sd.public.comment`
 * property: JSM_INTERNAL_COMMENT_PROPERTY in src/connectors/jira/outbound-mapping.ts cites the doc).
 * An update told to four channels of three audiences leaves one comment that lists
 * each message, however often a message was retried. The round is test/helpers/round-world.ts's.
 */
const EMAIL = 'mim@example.com';
const TOKEN = 'jira-sandbox-token';
const T0 = ROUND_T0;
const TITLE = ROUND_TITLE;

let sim: JiraSim;
let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates('config/templates');
});
afterEach(async () => {
  await sim?.close();
});

async function world(sendable?: (target: string) => boolean, startedIn: 'jira' | 'servicenow' = 'jira') {
  sim = createJiraSim({ integration: { email: EMAIL, apiToken: TOKEN, displayName: 'mim-bridge' } });
  await sim.listen();
  const client = createJiraClient(
    { baseUrl: sim.url(), email: EMAIL, apiToken: TOKEN, timeoutMs: 2_000 },
    { logger: pino({ level: 'silent' }), settings: () => DEFAULT_JIRA_SETTINGS },
  );
  const origin = sim
    .act({ as: 'Agent' })
    .createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'Payroll portal down' });
  const at = new Date(T0).toISOString();
  const mi: MajorIncident = {
    id: 'MI-2026-0007',
    serviceId: 'payroll',
    state: 'declared',
    title: 'Payroll portal down',
    priority: 1,
    origin:
      startedIn === 'jira'
        ? { source: 'jira', recordId: origin.id, number: origin.key }
        : { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' },
    configVersion: 'v1',
    roles: {},
    links: startedIn === 'jira' ? {} : { jira: { key: origin.key, id: origin.id } },
    detectedAt: at,
    createdAt: at,
    declaredAt: at,
    updatedAt: at,
  };
  const round = roundWorld(mi, 'jira', (io) =>
    jiraExecutor({
      ticketing: (project, issueType) => createJiraTicketing(client, { project, issueType }),
      load: async () => mi,
      service: () => ({ name: 'Payroll', tier: 1, jira: { project: 'ITSM', issueType: '[System] Incident' } }),
      templates: () => templates,
      ...io,
      ...(sendable ? { sendable } : {}),
    }),
  );
  return { key: origin.key, ...round };
}

const comments = (key: string) =>
  (sim.issue(key)?.comments ?? []).map((c) => ({ internal: c.internal, text: adfToText(c.body) }));

describe('one Jira internal comment per communication round', () => {
  it('fan-out plans one jira.comment round-note job after the four messages of an update', async () => {
    const { jobs } = await world();
    expect(jobs.map((j) => [j.do, j.target, j.channel])).toEqual([
      ['notify', 'slack', '#payroll-status'],
      ['notify', 'email', 'payroll-admins@example.edu'],
      ['notify', 'slack', '#mi-bridge'],
      ['notify', 'teams', 'TEAMS_FINANCE'],
      ['jira.comment', 'jira', ROUND_NOTE_CHANNEL],
    ]);
  });

  it('writes no comment per message: the receipts only go on the timeline', async () => {
    const { key, jobs, sent } = await world();
    for (const job of jobs.slice(0, 4)) await sent(job, T0);
    expect(comments(key)).toEqual([]);
  });

  it('writes one internal comment listing every message once the round has settled', async () => {
    const { key, jobs, run, sent, deadLettered, setNow } = await world();
    const [slack, email, bridge, teams, note] = jobs as [ActionJob, ActionJob, ActionJob, ActionJob, ActionJob];
    await sent(slack, T0 + 1_000);
    setNow(T0 + 2_000);
    await expect(run(note)).rejects.toMatchObject({ code: 'DEPENDENCY_PENDING', retryable: true });
    expect(comments(key)).toEqual([]);
    await sent(email, T0 + 3_000);
    await sent(bridge, T0 + 4_000);
    // Sent again after a slow answer: the same receipt job id, so one line.
    await sent(bridge, T0 + 9_000);
    deadLettered(teams, T0 + 30_000, 'UNAUTHORIZED');
    setNow(T0 + 31_000);
    const result = await run(note);
    expect(result.detail).toEqual({ key, visibility: 'internal', round: T0 });
    expect(comments(key)).toEqual([
      {
        internal: true,
        text: [
          'mim-bridge sent the update messages of this round (3 of 4):',
          `- "${TITLE}" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`,
          `- "${TITLE}" to Payroll administrators (email payroll-admins@example.edu) at 09:05 UTC`,
          `- "${TITLE}" to Resolver teams (Slack #mi-bridge) at 09:05 UTC`,
          '- not sent to Finance (Teams): failed (UNAUTHORIZED)',
        ].join('\n'),
      },
    ]);
  });

  it(`writes the comment with a message pending ${ROUND_SETTLE_MS / 60_000} min after the first was sent`, async () => {
    const { key, jobs, run, sent, setNow } = await world((target) => target !== 'email');
    const [slack, , bridge, , note] = jobs as [ActionJob, ActionJob, ActionJob, ActionJob, ActionJob];
    await sent(slack, T0);
    await sent(bridge, T0);
    setNow(T0 + ROUND_SETTLE_MS - 1);
    await expect(run(note)).rejects.toMatchObject({ code: 'DEPENDENCY_PENDING' });
    setNow(T0 + ROUND_SETTLE_MS);
    await run(note);
    expect(comments(key)).toEqual([
      {
        internal: true,
        text: [
          'mim-bridge sent the update messages of this round (2 of 4):',
          `- "${TITLE}" to Payroll administrators (Slack #payroll-status) at 09:05 UTC`,
          '- not sent to Payroll administrators (email payroll-admins@example.edu): email is not configured',
          `- "${TITLE}" to Resolver teams (Slack #mi-bridge) at 09:05 UTC`,
          '- not yet sent to Finance (Teams): still being retried',
        ].join('\n'),
      },
    ]);
  });

  it('writes no comment when no message of the round can be sent here', async () => {
    const { key, jobs, run } = await world(() => false);
    const result = await run(jobs[4]!);
    expect(result.detail).toMatchObject({ skipped: 'no message of the round can be sent here' });
    expect(comments(key)).toEqual([]);
  });

  it('leaves the round of a major incident that started in ServiceNow to its work note', async () => {
    const { key, jobs, run } = await world(undefined, 'servicenow');
    const result = await run({ ...jobs[4]!, round: T0 });
    expect(result.detail).toEqual({ skipped: 'the major incident started in servicenow' });
    expect(comments(key)).toEqual([]);
  });
});
