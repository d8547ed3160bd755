import nock from 'nock';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraExecutor } from '../../../src/actions/jira.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/**
 * A major incident cancelled after it was declared: the cancel playbook of the shipped rules.yaml
 * (`jira.clear_major_incident`) clears the Major incident field that declaring set on its Jira issue.
 * Driven through the running service (admin API, lifecycle, outbox, the Jira worker) against the
 * Jira simulator, whose `ITSM` is a JSM service project with the field.
 */

const TOKEN = 'cancel-clears-major-token';
const EMAIL = 'mim@example.com';
const JIRA_TOKEN = 'jira-sandbox-token';
const FIELD = 'customfield_10094';

let sim: JiraSim;
let svc: TestService;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  sim = createJiraSim({ integration: { email: EMAIL, apiToken: JIRA_TOKEN, displayName: 'mim-bridge' } });
  await sim.listen();
  // The shipped config, with payroll's technical work in the simulator's JSM service project.
  const config = configCopy();
  config.edit('services.yaml', (text) => text.replace(/project: PAY\n/, 'project: ITSM\n'));
  svc = await startTestService(
    {
      MIM_ADMIN_TOKEN: TOKEN,
      MIM_CONFIG_DIR: config.dir,
      JIRA_URL: sim.url(),
      JIRA_EMAIL: EMAIL,
      JIRA_API_TOKEN: JIRA_TOKEN,
    },
    // No routing keys: the pagerduty.* steps are skipped, so nothing leaves for a real vendor.
    { secrets: {} },
  );
});
afterAll(async () => {
  if (svc) await stopAndClean(svc);
  await sim?.close();
  nock.enableNetConnect();
});

const api = (path: string, body: unknown) =>
  fetch(`${svc.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

describe('cancelling a declared major incident in a JSM service project', () => {
  it('clears the Major incident field that declaring set on its Jira issue', async () => {
    const declared = await api('/admin/major-incidents', {
      serviceId: 'payroll',
      title: 'Payroll export failing',
      reason: 'calls to the service desk',
      actor: 'ann.mim',
    });
    expect(declared.status).toBe(201);
    const { majorIncident: mi } = (await declared.json()) as { majorIncident: { id: string } };

    const issue = await eventually(async () => sim.issues().find((i) => i.extra[FIELD] === 'MAJOR_INCIDENT'), 15_000);
    expect(issue.project.key).toBe('ITSM');
    // The MI knows its issue before it is cancelled, as it would after the first minutes of a real one.
    await eventually(async () => (await svc.majorIncidents.get(mi.id))?.links.jira?.key === issue.key, 10_000);

    const cancelled = await api(`/admin/major-incidents/${mi.id}/cancel`, { reason: 'a duplicate of MI-0001' });
    expect(cancelled.status).toBe(200);

    await eventually(async () => sim.issue(issue.key)?.extra[FIELD] === null, 15_000);
    const edits = sim.requests.filter((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${issue.key}`);
    expect(edits.map((r) => r.body)).toEqual([{ fields: { [FIELD]: null } }]);
    const timeline = await svc.majorIncidents.timeline(mi.id);
    const planned = timeline.find(
      (e) => e.kind === 'actions.planned' && (e.detail.effects as string[] | undefined)?.[0] === 'cancel',
    );
    expect(planned?.detail.actions).toEqual([
      { do: 'jira.clear_major_incident', majorIncidentId: mi.id, effect: 'cancel' },
      // The shipped cancel playbook also ends the portal announcements (ServiceNow is not configured here).
      {
        do: 'servicenow.retire_announcement',
        audiences: ['payroll-users', 'finance-leaders', 'it-leadership', 'service-desk', 'resolvers'],
        template: 'cancelled',
        majorIncidentId: mi.id,
        effect: 'cancel',
      },
    ]);
  });
});

describe('jira.clear_major_incident, the step', () => {
  const AT = '2026-03-02T09:00:00.000Z';
  const job = {
    majorIncidentId: 'MI-2026-0009',
    effect: 'cancel',
    step: 0,
    round: 0,
    target: 'jira',
    do: 'jira.clear_major_incident',
    params: {},
  } as ActionJob;
  const mi = (over: Partial<MajorIncident>): MajorIncident => ({
    id: 'MI-2026-0009',
    serviceId: 'payroll',
    state: 'canceled',
    title: 'Payroll export failing',
    origin: { source: 'servicenow', recordId: 'c'.repeat(32) },
    configVersion: 'v1',
    roles: {},
    links: {},
    detectedAt: AT,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  });
  const executor = (project: string, current: MajorIncident, createsIssues = true) =>
    jiraExecutor({
      ticketing: (p, issueType) =>
        createJiraTicketing(
          createJiraClient(
            { baseUrl: sim.url(), email: EMAIL, apiToken: JIRA_TOKEN, timeoutMs: 2_000 },
            { logger: pino({ level: 'silent' }) },
          ),
          { project: p, issueType },
        ),
      load: async () => current,
      service: () => ({ name: 'Payroll', tier: 1, jira: { project, issueType: 'Task' } }),
      templates: () => svc.config.current().templates,
      createsIssues: () => createsIssues,
    });
  const writes = (key: string) =>
    sim.requests.filter((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${key}`);

  it("leaves a cancelled candidate's issue alone: mim-bridge never marked it", async () => {
    const issue = sim
      .act({ as: 'Agent' })
      .createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'x' });
    sim.act({ as: 'Agent' }).edit(issue.key, { [FIELD]: 'MAJOR_INCIDENT' });
    const origin = { source: 'jira' as const, recordId: issue.id, number: issue.key };
    const result = await executor('ITSM', mi({ origin }))(job, { jobId: 'c1' });
    expect(result.detail).toMatchObject({ skipped: expect.stringContaining('never declared') });
    expect(sim.issue(issue.key)?.extra[FIELD]).toBe('MAJOR_INCIDENT');
    expect(writes(issue.key)).toEqual([]);
  });

  it('writes nothing in a software project, which has no Major incident field', async () => {
    const issue = sim.act({ as: 'Agent' }).createIssue({ project: 'OPS', issueType: 'Task', summary: 'x' });
    const declared = mi({ declaredAt: AT, links: { jira: { key: issue.key, id: issue.id } } });
    const result = await executor('OPS', declared)(job, { jobId: 'c2' });
    expect(result.detail).toEqual({ key: issue.key, majorIncidentField: 'none in this project' });
    expect(writes(issue.key)).toEqual([]);
  });

  it('waits for an issue still being created, and is done when none will come', async () => {
    const declared = mi({ declaredAt: new Date().toISOString() });
    await expect(executor('ITSM', declared)(job, { jobId: 'c3' })).rejects.toMatchObject({
      code: 'DEPENDENCY_PENDING',
      retryable: true,
    });
    const result = await executor('ITSM', declared, false)(job, { jobId: 'c4' });
    expect(result.detail).toMatchObject({ skipped: expect.stringContaining('no Jira issue') });
  });
});
