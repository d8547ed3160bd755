import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MappingsFile } from '../../../src/config/files/schema-mappings.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { JSM_LOOKUP_TTL_MS } from '../../../src/connectors/jira/outbound-jsm.ts';
import { DEFAULT_JIRA_SETTINGS, type JiraSettings } from '../../../src/connectors/jira/outbound-settings.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';
import { META, rejectionOf } from './helpers.ts';
import { openApiErrors } from './jira-openapi.ts';

/**
 * Workflows whose Done asks for a Resolution, and Jira Service Management's incident type and
 * major-incident field, against the Jira simulator (sandbox/jira/): its `ITSM` project is a
 * service project whose Done transition requires a Resolution, and `OPS` a plain software project.
 */

const EMAIL = 'mim@example.com';
const TOKEN = 'jira-sandbox-token';
const FIELD = 'customfield_10094';

let sim: JiraSim;
afterEach(async () => {
  await sim?.close();
});

/** The shipped config/mappings.yaml's `jira:`, parsed as the service parses it. */
const shipped = (): JiraSettings => {
  const parsed = MappingsFile.parse(parse(readFileSync('config/mappings.yaml', 'utf8')));
  return parsed.jira ?? DEFAULT_JIRA_SETTINGS;
};

async function start(settings?: () => JiraSettings | undefined, clock: { now: number } = { now: Date.now() }) {
  sim = createJiraSim({ integration: { email: EMAIL, apiToken: TOKEN, displayName: 'mim-bridge' } });
  await sim.listen();
  const client = createJiraClient(
    { baseUrl: sim.url(), email: EMAIL, apiToken: TOKEN, timeoutMs: 2_000 },
    { logger: pino({ level: 'silent' }), now: () => clock.now, ...(settings ? { settings } : {}) },
  );
  return { client, clock };
}

/** An issue in `project`, moved to In Progress by a person, so Done is one transition away. */
function issueInProgress(project: string, issueType: string): string {
  const person = sim.act({ as: 'Resolver' });
  const issue = person.createIssue({ project, issueType, summary: 'Payroll down' });
  person.transition(issue.key, 'In Progress');
  return issue.key;
}

const calls = (method: string, path: RegExp) => sim.requests.filter((r) => r.method === method && path.test(r.path));

/**
 * mim-bridge's requests checked against Atlassian's OpenAPI document; `GET /project/{key}` is not in
 * the stored trimmed copy, so it is left out.
 */
async function expectOpenApiValid(from: string) {
  // A person's actions in the simulator (`sim.act`) are not HTTP requests: every request here is mim-bridge's.
  const ours = sim.requests.filter((r) => r.path.startsWith('/rest/api/3/') && !r.path.includes('/project/'));
  for (const r of ours) {
    const errors = await openApiErrors({
      method: r.method,
      path: r.path,
      body: r.method === 'GET' ? undefined : r.body,
      query: r.query as Record<string, string>,
    });
    expect({ from, request: `${r.method} ${r.path}`, errors }).toEqual({
      from,
      request: `${r.method} ${r.path}`,
      errors: [],
    });
  }
}

describe('a Done transition whose screen requires a Resolution', () => {
  it('the simulator refuses it without one, with Jira error body', async () => {
    await start();
    const key = issueInProgress('ITSM', '[System] Incident');
    const res = await fetch(`${sim.url()}/rest/api/3/issue/${key}/transitions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`,
      },
      body: JSON.stringify({ transition: { id: '31' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { resolution: 'Resolution is required.' } });
  });

  it('is sent again with the default resolution (Done) after reading the screen', async () => {
    const { client } = await start();
    const key = issueInProgress('ITSM', '[System] Incident');
    expect(await client.transitionToCategory(key, 'done', META)).toBe(1);
    expect(sim.issue(key)?.resolution).toEqual({ id: '10000', name: 'Done' });
    expect(sim.issue(key)?.status).toBe('10001');
    expect(calls('GET', /\/transitions$/).map((r) => r.query)).toContainEqual({
      transitionId: '31',
      expand: 'transitions.fields',
    });
    expect(calls('POST', /\/transitions$/).map((r) => r.body)).toEqual([
      { transition: { id: '31' } },
      { transition: { id: '31' }, fields: { resolution: { name: 'Done' } } },
    ]);
    await expectOpenApiValid('transition');
  });

  it("takes the project's own value from mappings.yaml over the site-wide one", async () => {
    const settings: JiraSettings = {
      ...shipped(),
      projects: { ITSM: { transitionFields: { resolution: { name: 'Cannot Reproduce' } } } },
    };
    const { client } = await start(() => settings);
    const key = issueInProgress('ITSM', '[System] Incident');
    await client.transitionToCategory(key, 'done', META);
    expect(sim.issue(key)?.resolution).toEqual({ id: '10003', name: 'Cannot Reproduce' });
  });

  it('names the field and the config key to set when mappings.yaml gives no value', async () => {
    const { client } = await start(() => ({ ...shipped(), transitionFields: {} }));
    const key = issueInProgress('ITSM', '[System] Incident');
    const err = await rejectionOf(() => client.transitionToCategory(key, 'done', META));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(err.detail).toContain('Resolution (resolution)');
    expect(err.detail).toContain('jira.transitionFields.resolution');
    expect(err.detail).toContain('jira.projects.ITSM.transitionFields.resolution');
    expect(sim.issue(key)?.status).toBe('3');
  });

  it('names the values the field offers when the configured one is not among them', async () => {
    const { client } = await start(() => ({ ...shipped(), transitionFields: { resolution: { name: 'Fixed' } } }));
    const key = issueInProgress('ITSM', '[System] Incident');
    const err = await rejectionOf(() => client.transitionToCategory(key, 'done', META));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', retryable: false });
    expect(err.detail).toContain('"Fixed" is not one of "Done", "Won\'t Do", "Duplicate", "Cannot Reproduce"');
    // Refused before a second attempt: Jira would answer 400 to a name it does not offer.
    expect(calls('POST', /\/transitions$/)).toHaveLength(1);
  });

  it('sends a transition without a screen as it is, once', async () => {
    const { client } = await start(shipped);
    const key = issueInProgress('OPS', 'Task');
    await client.transitionToCategory(key, 'done', META);
    expect(sim.issue(key)?.resolution).toEqual({ id: '10000', name: 'Done' });
    expect(calls('POST', /\/transitions$/).map((r) => r.body)).toEqual([{ transition: { id: '31' } }]);
  });
});

describe('Jira Service Management incidents', () => {
  const ensure = (client: ReturnType<typeof createJiraClient>, project: string) =>
    createJiraTicketing(client, { project, issueType: 'Task' }).ensureTicket(
      { summary: 'Payroll down', description: 'Major incident MI-2025-0042.', priority: 1 },
      META,
    );

  it("creates the major incident's issue in a service project as an incident, marked major", async () => {
    const { client } = await start(shipped);
    const { ticket } = await ensure(client, 'ITSM');
    const issue = sim.issue(ticket.key);
    expect(issue?.issueType).toBe('[System] Incident');
    expect(issue?.extra[FIELD]).toBe('MAJOR_INCIDENT');
    await expectOpenApiValid('create');
  });

  it('keeps the service issue type, without the field, in a software project', async () => {
    const { client } = await start(shipped);
    const { ticket } = await ensure(client, 'OPS');
    expect(sim.issue(ticket.key)?.issueType).toBe('Task');
    expect(sim.issue(ticket.key)?.extra).toEqual({});
  });

  it("uses a project's own incident type, and the simulator refuses one the project does not have", async () => {
    const { client } = await start(() => ({ ...shipped(), projects: { ITSM: { incidentIssueType: 'Incident' } } }));
    const err = await rejectionOf(() => ensure(client, 'ITSM'));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', retryable: false, status: 400 });
    expect(err.detail).toContain('"issuetype":"Specify an issue type"');
    expect(sim.issues()).toHaveLength(0);
  });

  it('leaves the field alone when mappings.yaml sets majorIncidentField to null', async () => {
    const { client } = await start(() => ({ ...shipped(), majorIncidentField: null }));
    const { ticket } = await ensure(client, 'ITSM');
    expect(sim.issue(ticket.key)?.issueType).toBe('[System] Incident');
    expect(sim.issue(ticket.key)?.extra).toEqual({});
  });

  it('sets and clears the field on an existing issue; a software project has none to write', async () => {
    const { client } = await start(shipped);
    const jsm = sim.act({ as: 'Agent' }).createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'x' });
    const software = sim.act({ as: 'Agent' }).createIssue({ project: 'OPS', summary: 'y' });
    expect(await client.setMajorIncident(jsm.key, true, META)).toBe(true);
    expect(sim.issue(jsm.key)?.extra[FIELD]).toBe('MAJOR_INCIDENT');
    expect(await client.setMajorIncident(jsm.key, false, META)).toBe(true);
    expect(sim.issue(jsm.key)?.extra[FIELD]).toBeNull();
    expect(calls('PUT', /\/issue\//).map((r) => r.body)).toEqual([
      { fields: { [FIELD]: 'MAJOR_INCIDENT' } },
      { fields: { [FIELD]: null } },
    ]);
    expect(await client.setMajorIncident(software.key, true, META)).toBe(false);
    expect(calls('PUT', /\/issue\//)).toHaveLength(2);
    await expectOpenApiValid('edit');
  });

  it("asks for the project's type and the site's fields once per TTL", async () => {
    const { client, clock } = await start(shipped);
    await ensure(client, 'ITSM');
    sim.issues().at(-1)!.labels.length = 0; // the next ensure creates again instead of finding this issue
    await ensure(client, 'ITSM');
    expect(calls('GET', /^\/rest\/api\/3\/project\/ITSM$/)).toHaveLength(1);
    expect(calls('GET', /^\/rest\/api\/3\/field$/)).toHaveLength(1);
    clock.now += JSM_LOOKUP_TTL_MS;
    await client.setMajorIncident(sim.issues()[0]!.key, true, META);
    expect(calls('GET', /^\/rest\/api\/3\/project\/ITSM$/)).toHaveLength(2);
    expect(calls('GET', /^\/rest\/api\/3\/field$/)).toHaveLength(2);
  });

  it('creates as the service says when mappings.yaml is not wired into the client', async () => {
    const { client } = await start();
    const { ticket } = await ensure(client, 'ITSM');
    expect(sim.issue(ticket.key)?.issueType).toBe('Task');
    expect(calls('GET', /^\/rest\/api\/3\/(project|field)/)).toHaveLength(0);
  });
});
