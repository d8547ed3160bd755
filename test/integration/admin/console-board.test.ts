import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { LATEST_UPDATE_FIELD } from '../../../src/orchestrator/latest-update.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/**
 * GET /admin/board and the detail's facts, against the real service and Redis: major incidents stored as the
 * orchestrator stores them, a dead letter as the action worker writes it.
 */

const TOKEN = 'console-board-test-token';
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const get = async <T = Record<string, unknown>>(path: string) => {
  const res = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: (await res.json()) as T };
};

const MIN = 60_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const e = (kind: string, atMs: number, detail: Record<string, unknown> = {}, actor = 'test'): TimelineEntry => ({
  at: iso(atMs),
  kind,
  actor: { type: actor.includes(':') ? 'source' : 'system', id: actor },
  detail,
});
const sysId = (n: number) => String(n).padStart(32, '0');

async function seed(
  n: number,
  serviceId: string,
  priority: number,
  createdAgo: number,
  timeline: (mi: MajorIncident) => TimelineEntry[] = () => [],
  over: Partial<MajorIncident> = {},
) {
  const created = now - createdAgo;
  const mi: MajorIncident = {
    id: `MI-CB${n}-${serviceId}`,
    serviceId,
    state: 'declared',
    priority,
    title: `${serviceId} is down`,
    origin: { source: 'servicenow', recordId: sysId(n), number: `INC00${n}` },
    configVersion: 'test',
    roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu' },
    links: {},
    detectedAt: iso(created),
    createdAt: iso(created),
    declaredAt: iso(created),
    updatedAt: iso(created),
    ...over,
  };
  const origin = {
    incidentKey: `servicenow/${sysId(n)}`,
    source: 'servicenow',
    recordId: sysId(n),
    number: `INC00${n}`,
    attachedAt: iso(created),
    role: 'origin',
  };
  const entries = [e('state.changed', created, { from: 'none', to: 'declared' }), ...timeline(mi)];
  expect(await svc.majorIncidents.createIfNoneOpen(mi, origin, entries)).toBe(mi.id);
  return mi;
}

interface Facts {
  id: string;
  priority: number;
  reopened?: { at: string };
  acknowledgedBy?: { name: string };
  latestUpdate?: { text: string };
  nextDeadline?: { label: string };
  checklist: { done: number; total: number };
  deadLetters: number;
  attached: { number?: string }[];
}

describe('the console board and the detail header', () => {
  let reopened: MajorIncident;
  let older: MajorIncident;
  let p2: MajorIncident;
  beforeAll(async () => {
    // Tier 2, P2, opened 40 minutes ago.
    p2 = await seed(1, 'identity', 2, 40 * MIN);
    // Payroll (tier 1): acknowledged by Dana, resolved, re-opened a minute ago; one child attached.
    reopened = await seed(
      2,
      'payroll',
      1,
      20 * MIN,
      (mi) => {
        const t = Date.parse(mi.createdAt);
        return [
          e('page.acknowledged', t + 2 * MIN, {}, 'pagerduty:Dana Okafor'),
          e('state.changed', t + 10 * MIN, { from: 'declared', to: 'resolved' }, 'servicenow:beth.anglin'),
          e('state.changed', now - MIN, { from: 'resolved', to: 'declared' }, 'servicenow:beth.anglin'),
        ];
      },
      { resolvedAt: iso(now - 10 * MIN) },
    );
    const child = { incidentKey: `servicenow/${sysId(9)}`, source: 'servicenow', recordId: sysId(9), number: 'INC009' };
    expect(
      await svc.majorIncidents.attachChild(reopened.id, { ...child, attachedAt: iso(now), role: 'child' }, []),
    ).toBe(true);
    // Library (tier 3) P1, opened earlier than payroll: same priority, so it comes first.
    older = await seed(3, 'library-catalogue', 1, 30 * MIN);
    await svc.majorIncidents.setSynced(reopened.id, LATEST_UPDATE_FIELD, {
      text: 'Fix rolling out',
      author: 'beth.anglin',
      at: iso(now - 30_000),
      source: 'admin',
      record: reopened.id,
    });
    await new DeadLetters(svc.redis, svc.keys.prefix).add({
      jobId: `${reopened.id}.update1.0.notify.abc`,
      queue: 'mim-actions-slack',
      job: {
        majorIncidentId: reopened.id,
        do: 'notify',
        effect: 'update',
        round: 1,
        step: 0,
        target: 'slack',
        channel: '#service-desk',
        params: { template: 'update' },
      },
      code: 'BAD_REQUEST',
      detail: 'channel_not_found',
      attempts: 1,
      firstAttemptAt: iso(now - MIN),
      deadAt: iso(now - MIN),
    });
  });

  it('lists the open major incidents by priority, then oldest first, with the facts of each', async () => {
    const { status, body } = await get<{ majorIncidents: Facts[] }>('/admin/board');
    expect(status).toBe(200);
    expect(body.majorIncidents.map((m) => m.id)).toEqual([older.id, reopened.id, p2.id]);
    const payroll = body.majorIncidents[1]!;
    expect(payroll).toMatchObject({
      priority: 1,
      service: { id: 'payroll', name: 'Payroll', tier: 1 },
      reopened: { at: iso(now - MIN), by: 'servicenow:beth.anglin', count: 1 },
      lead: 'mim@example.edu',
      latestUpdate: { text: 'Fix rolling out', author: 'beth.anglin' },
      // A new acknowledgement is asked for after the re-open: Dana's from before does not count.
      nextDeadline: { kind: 'ack', label: 'acknowledgement due', at: iso(now - MIN + 5 * MIN) },
      deadLetters: 1,
      conflicts: 0,
      attached: [{ source: 'servicenow', number: 'INC009' }],
    });
    expect(payroll.acknowledgedBy).toBeUndefined();
    expect(body.majorIncidents[2]).toMatchObject({
      deadLetters: 0,
      attached: [],
      nextDeadline: { label: 'acknowledgement due' },
    });
  });

  it('gives the detail the same facts, measures that restarted at the re-open, and what was sent to whom', async () => {
    const { body } = await get<{
      facts: Facts;
      children: unknown[];
      measures: Record<string, number>;
      checklist: { id: string; done: boolean }[];
      communications: { audience: string; channel: string; messages: { state: string; code?: string }[] }[];
    }>(`/admin/major-incidents/${reopened.id}`);
    expect(body.children).toHaveLength(2); // the store's list, origin included, as before
    expect(body.facts.attached.map((c) => c.number)).toEqual(['INC009']);
    expect(body.measures).not.toHaveProperty('timeToResolve');
    expect(body.measures).not.toHaveProperty('timeToMobilise');
    expect(body.checklist.find((c) => c.id === 'pageAcknowledged')?.done).toBe(false);
    expect(body.communications).toEqual([
      {
        audience: 'Service Desk',
        target: 'slack',
        channel: '#service-desk',
        messages: [expect.objectContaining({ state: 'failed', code: 'BAD_REQUEST', detail: 'channel_not_found' })],
      },
    ]);
  });

  it('answers 401 without a token', async () => {
    expect((await fetch(`${svc.url}/admin/board`)).status).toBe(401);
  });
});
