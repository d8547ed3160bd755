import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAndClean, type TestService } from '../helpers/service.ts';
import { auditLines, call, startAdminService, TOKENS } from './lib/admin-client.ts';

/**
 * The audit line names the route that ran and the role it required, beside who called with which
 * role: an operator's change can no longer be recorded as if it had passed an admin route's check.
 */
let svc: TestService;
beforeAll(async () => {
  svc = await startAdminService();
});
afterAll(async () => {
  await stopAndClean(svc);
});

const lineFor = (method: string, path: string, status: number) =>
  auditLines(svc).find((l) => l.method === method && l.path === path && l.status === status);

describe('the audit line of a mutating call', () => {
  it('records the route that ran and the role it required', async () => {
    expect((await call(svc, 'POST', '/admin/rules/reload', { token: TOKENS.admin })).status).toBe(200);
    expect(lineFor('POST', '/admin/rules/reload', 200)).toMatchObject({
      auth: 'sec-admin',
      role: 'admin',
      via: 'bearer',
      required: 'admin',
      route: '/admin/rules/reload',
      what: 'rules.reload',
    });
    expect((await call(svc, 'POST', '/admin/rules/reload', { token: TOKENS.operator })).status).toBe(403);
    expect(lineFor('POST', '/admin/rules/reload', 403)).toMatchObject({
      auth: 'sec-operator',
      role: 'operator',
      required: 'admin',
      route: '/admin/rules/reload',
    });
  });

  it('records a path spelt otherwise as reaching no route, with no role checked', async () => {
    expect((await call(svc, 'POST', '/admin/rules/Reload', { token: TOKENS.operator })).status).toBe(404);
    expect(lineFor('POST', '/admin/rules/Reload', 404)).toMatchObject({
      auth: 'sec-operator',
      role: 'operator',
      required: 'none',
      route: 'none',
    });
  });

  it('records a board action by the board route it matched', async () => {
    expect(
      (await call(svc, 'PUT', '/admin/queues/api/queues/timers/retry/failed', { token: TOKENS.operator })).status,
    ).toBe(200);
    expect(lineFor('PUT', '/admin/queues/api/queues/timers/retry/failed', 200)).toMatchObject({
      auth: 'sec-operator',
      required: 'operator',
      route: '/admin/queues/api/queues/:queueName/retry/:queueStatus',
    });
  });
});
