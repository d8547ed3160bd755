import { Writable } from 'node:stream';
import { Queue, type Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jiraExecutor } from '../../../src/actions/jira.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createJiraTicketing } from '../../../src/connectors/jira/outbound-ticketing.ts';
import { DEFAULT_JIRA_SETTINGS } from '../../../src/connectors/jira/outbound-settings.ts';
import { actionQueueName } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { startActionWorker } from '../../../src/queue/actions/action-worker.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { loadTemplates } from '../../../src/templates/index.ts';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually } from '../../helpers/service.ts';

/**
 * A Done transition whose screen requires a Resolution, on a site whose mappings.yaml gives none:
 * from the queue to the dead-letter list at the first attempt, with a reason that names the field
 * and the config keys to set. Real Redis and BullMQ; the Jira simulator's ITSM project.
 */

const EMAIL = 'mim@example.com';
const TOKEN = 'jira-sandbox-token';
const AT = '2026-03-02T09:00:00.000Z';
const silent = () =>
  createLogger(
    'warn',
    {},
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );

describe('a transition mim-bridge cannot fill', () => {
  let t: ReturnType<typeof testRedis>;
  let queue: Queue;
  let worker: Worker | undefined;
  let blocking: ReturnType<typeof t.redis.duplicate> | undefined;
  let sim: JiraSim;

  beforeEach(async () => {
    t = testRedis();
    queue = new Queue(actionQueueName('jira'), { connection: t.redis, prefix: t.prefix });
    sim = createJiraSim({ integration: { email: EMAIL, apiToken: TOKEN, displayName: 'mim-bridge' } });
    await sim.listen();
  });
  afterEach(async () => {
    await worker?.close();
    await blocking?.quit();
    await queue.close();
    await sim.close();
    await t.clean();
  });

  it('is dead-lettered at once as INVALID_INPUT naming the field and the mappings.yaml keys', async () => {
    const issue = sim
      .act({ as: 'Agent' })
      .createIssue({ project: 'ITSM', issueType: '[System] Incident', summary: 'x' });
    const mi: MajorIncident = {
      id: 'MI-2026-0008',
      serviceId: 'payroll',
      state: 'resolved',
      title: 'Payroll export failing',
      origin: { source: 'servicenow', recordId: 'c'.repeat(32) },
      configVersion: 'v1',
      roles: {},
      links: { jira: { key: issue.key, id: issue.id } },
      detectedAt: AT,
      createdAt: AT,
      updatedAt: AT,
    };
    const client = createJiraClient(
      { baseUrl: sim.url(), email: EMAIL, apiToken: TOKEN, timeoutMs: 2_000 },
      { logger: pino({ level: 'silent' }), settings: () => ({ ...DEFAULT_JIRA_SETTINGS, transitionFields: {} }) },
    );
    const templates = await loadTemplates('config/templates');
    const deadLetters = new DeadLetters(t.redis, t.prefix);
    const job = {
      majorIncidentId: mi.id,
      do: 'jira.transition',
      target: 'jira',
      effect: 'resolve',
      step: 1,
      round: 0,
      params: { to: 'done' },
    };
    await queue.add(job.do, job, { jobId: 'resolve-jira-transition' });
    blocking = t.redis.duplicate();
    worker = startActionWorker({
      connection: blocking,
      prefix: t.prefix,
      target: 'jira',
      deadLetters,
      logger: silent(),
      limiter: { max: 10, duration: 1_000 },
      execute: jiraExecutor({
        ticketing: (project, issueType) => createJiraTicketing(client, { project, issueType }),
        load: async () => mi,
        service: () => ({ name: 'Payroll', tier: 1, jira: { project: 'ITSM', issueType: 'Task' } }),
        templates: () => templates,
      }),
      record: { link: async () => {}, record: async () => {}, timeline: async () => {} },
    });

    const [letter] = await eventually(async () => {
      const letters = await deadLetters.list();
      return letters.length ? letters : undefined;
    }, 10_000);
    expect(letter).toMatchObject({ code: 'INVALID_INPUT', queue: 'actions-jira' });
    expect(letter!.detail).toContain('requires Resolution (resolution): not configured');
    expect(letter!.detail).toContain('jira.projects.ITSM.transitionFields.resolution');
    // It hopped to In Progress, then stopped before Done: nothing half-resolved.
    expect(sim.issue(issue.key)).toMatchObject({ status: '3', resolution: null });
  });
});
