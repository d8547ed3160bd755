import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jiraExecutor } from '../../../src/actions/jira.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { DEFAULT_JIRA_SETTINGS, type JiraSettings } from '../../../src/connectors/jira/outbound-settings.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { loadTemplates, type TemplateSet } from '../../../src/templates/index.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';

/**
 * The jira.* steps of a major incident whose service works in a JSM service project (the Jira
 * simulator's ITSM: incidents, a Major incident field, a Done that requires a Resolution).
 */

const EMAIL = 'mim@example.com';
const TOKEN = 'jira-sandbox-token';
const FIELD = 'customfield_10094';
const AT = '2026-03-02T09:00:00.000Z';

let sim: JiraSim;
let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates('config/templates');
});
afterEach(async () => {
  await sim?.close();
});

const majorIncident = (origin: MajorIncident['origin'], links: MajorIncident['links'] = {}): MajorIncident => ({
  id: 'MI-2026-0007',
  serviceId: 'payroll',
  state: 'declared',
  title: 'Payroll export failing',
  priority: 1,
  origin,
  configVersion: 'v1',
  roles: {},
  links,
  detectedAt: AT,
  createdAt: AT,
  declaredAt: AT,
  updatedAt: AT,
});

async function executorFor(mi: () => MajorIncident, settings: JiraSettings = DEFAULT_JIRA_SETTINGS) {
  sim = createJiraSim({ integration: { email: EMAIL, apiToken: TOKEN, displayName: 'mim-bridge' } });
  await sim.listen();
  const client = createJiraClient(
    { baseUrl: sim.url(), email: EMAIL, apiToken: TOKEN, timeoutMs: 2_000 },
    { logger: pino({ level: 'silent' }), settings: () => settings },
  );
  return jiraExecutor({
    ticketing: (project, issueType) => createJiraTicketing(client, { project, issueType }),
    load: async () => mi(),
    service: () => ({ name: 'Payroll', tier: 1, jira: { project: 'ITSM', issueType: 'Task' } }),
    templates: () => templates,
  });
}

const job = (j: Record<string, unknown>) =>
  ({ majorIncidentId: 'MI-2026-0007', effect: 'declare', step: 0, round: 0, target: 'jira', ...j }) as ActionJob;

describe('jira.* steps in a JSM service project', () => {
  it('jira.create_issue opens a [System] Incident marked as a major incident', async () => {
    const run = await executorFor(() => majorIncident({ source: 'servicenow', recordId: 'a'.repeat(32) }));
    const result = await run(job({ do: 'jira.create_issue', params: { template: 'jira-description' } }), {
      jobId: 'j1',
    });
    const key = (result.detail as { key: string }).key;
    expect(sim.issue(key)).toMatchObject({ issueType: '[System] Incident', extra: { [FIELD]: 'MAJOR_INCIDENT' } });
  });

  it('jira.create_issue for an incident that started in Jira marks its own issue major', async () => {
    const origin = { source: 'jira' as const, recordId: '', number: '' };
    const run = await executorFor(() => majorIncident(origin));
    const issue = sim
      .act({ as: 'Agent' })
      .createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'x' });
    Object.assign(origin, { recordId: issue.id, number: issue.key });
    const result = await run(job({ do: 'jira.create_issue', params: {} }), { jobId: 'j2' });
    expect(result.detail).toMatchObject({ key: issue.key, created: false, origin: true, majorIncidentField: true });
    expect(sim.issue(issue.key)?.extra[FIELD]).toBe('MAJOR_INCIDENT');
    expect(sim.issues()).toHaveLength(1);
  });

  it('jira.transition to done resolves the issue with the configured resolution', async () => {
    let links: MajorIncident['links'] = {};
    const run = await executorFor(() => majorIncident({ source: 'servicenow', recordId: 'b'.repeat(32) }, links));
    const issue = sim
      .act({ as: 'Agent' })
      .createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'x' });
    links = { jira: { key: issue.key, id: issue.id } };
    await run(job({ do: 'jira.transition', effect: 'resolve', params: { to: 'done' } }), { jobId: 'j3' });
    expect(sim.issue(issue.key)).toMatchObject({ status: '10001', resolution: { name: 'Done' } });
  });
});
