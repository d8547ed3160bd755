import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorIncidents, miDetail } from '../../sandbox/demo/views.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import { e2eWorld, idle, logPayrollP1 } from './e2e-world.ts';

/** (f) Jira answers 429 with Retry-After to the create call, then recovers: exactly one ticket at the end. */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

describe('a vendor returns 429, then recovers', () => {
  it('creates exactly one Jira issue after honouring Retry-After', async () => {
    const { sandbox, service } = world;
    sandbox.jira.inject({ kind: 'rate_limit', count: 2, retryAfterSeconds: 1, path: /^\/rest\/api\/3\/issue$/ });
    logPayrollP1(world);
    const [mi] = await waitFor('a major incident', 15_000, async () => {
      const all = await majorIncidents(service, 'payroll');
      return all.length ? all : undefined;
    });
    const d = await waitFor('the Jira issue on the major incident', 30_000, async () => {
      const detail = await miDetail(service, mi!.id);
      return detail?.majorIncident.links.jira ? detail : undefined;
    });
    // No create retried after the one that worked.
    await idle(world);
    const creates = sandbox.jira.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
    expect(creates.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(sandbox.jira.issues()).toHaveLength(1);
    expect(sandbox.jira.issues()[0]!.key).toBe(d.majorIncident.links.jira!.key);
    // The other targets were not held up by Jira's limit.
    expect(sandbox.pagerduty.incidents).toHaveLength(1);
  }, 60_000);
});
