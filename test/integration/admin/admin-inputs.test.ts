import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy, lineOf } from '../../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';

const TOKEN = 'admin-inputs-token';
let svc: TestService;
// rules/validate reads only the config directory and folders inside it: a copy, with broken drafts inside.
const root = configCopy();
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN, MIM_CONFIG_DIR: root.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const auth = { authorization: `Bearer ${TOKEN}` };
const post = (path: string, body: unknown) =>
  fetch(`${svc.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = (path: string) => fetch(`${svc.url}${path}`, { headers: auth });
const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) => (await (await res).json()) as T;
const auditLines = () => svc.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);

describe('admin API: bodies and tokens', () => {
  it('answers 401 for a token of another length, a non-Bearer scheme and a Bearer with nothing', async () => {
    for (const authorization of [`Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ', TOKEN]) {
      const res = await fetch(`${svc.url}/admin/major-incidents`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    }
  });

  it('answers 415 for a POST body that is not JSON, and 413 past 256 KiB', async () => {
    const text = await fetch(`${svc.url}/admin/rules/simulate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const big = await post('/admin/rules/simulate', { event: { pad: 'x'.repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'payload_too_large', limitBytes: 256 * 1024 });
    // A POST with no body at all is fine where none is needed.
    expect((await fetch(`${svc.url}/admin/rules/reload`, { method: 'POST', headers: auth })).status).toBe(200);
  });
});

describe('admin API: rules', () => {
  it('shows version, loadedAt, evaluation mode, rules and windows', async () => {
    const body = await json<{
      version: string;
      loadedAt: string;
      evaluation: string;
      rules: Array<Record<string, unknown>>;
      windows: Array<{ id: string }>;
    }>(get('/admin/rules'));
    expect(body).toMatchObject({ version: svc.config.current().version, evaluation: 'first-match' });
    expect(Number.isNaN(Date.parse(body.loadedAt))).toBe(false);
    expect(body.rules[0]).toMatchObject({
      id: 'p1-on-tier-1',
      then: 'declare',
      when: expect.stringContaining('service.tier == 1'),
    });
    expect(body.rules[0]!.description).toEqual(expect.any(String));
    expect(body.windows.map((w) => w.id)).toEqual(['storm_10m']);
  });

  it('validates a broken directory with file, line and path, and leaves the active version alone', async () => {
    const broken = configCopy(root.dir);
    broken.edit('rules.yaml', (t) => t.replace('then: propose', 'then: maybe'));
    const res = await post('/admin/rules/validate', { dir: broken.dir });
    expect(res.status).toBe(422);
    const body = await json<{ valid: boolean; issues: Array<{ file: string; line: number; path: string }> }>(res);
    expect(body.valid).toBe(false);
    expect(body.issues[0]).toMatchObject({
      file: 'rules.yaml',
      path: 'rules.2.then',
      line: lineOf(broken.dir, 'rules.yaml', 'then: maybe'),
    });
    expect(await json(post('/admin/rules/validate', { dir: 42 }))).toMatchObject({
      error: 'invalid_request',
      field: 'dir',
    });
  });

  it('reloads the active directory: unchanged, and audited', async () => {
    const before = svc.config.current().version;
    expect(await json(post('/admin/rules/reload', {}))).toEqual({ ok: true, version: before, changed: false });
    expect(auditLines().find((l) => l.what === 'rules.reload')).toMatchObject({
      actor: 'admin-token',
      auth: 'admin-token',
      role: 'admin',
      path: '/admin/rules/reload',
      before,
      after: before,
      status: 200,
    });
  });

  it(
    'simulates a raw ServiceNow payload: rules explained (matching or not), the service, the decision and planned ' +
      'actions',
    async () => {
      const body = await json<{
        normalizedFrom: string;
        service: { id: string };
        evaluation: {
          decision: string;
          decidedBy: string;
          results: Array<{ ruleId: string; matched: boolean; explanation?: unknown[] }>;
        };
        actions: Array<{ do: string }>;
        actionsWhen: string;
        wouldDo: { kind: string; trigger?: string };
      }>(post('/admin/rules/simulate', { source: 'servicenow', payload: snRecord() }));
      expect(body).toMatchObject({
        normalizedFrom: 'servicenow',
        service: { id: 'payroll' },
        actionsWhen: 'now',
        wouldDo: { kind: 'create', trigger: 'rule.declare' },
      });
      expect(body.evaluation).toMatchObject({ decision: 'declare', decidedBy: 'p1-on-tier-1' });
      expect(body.actions.length).toBeGreaterThan(0);

      const p3 = await json<typeof body>(
        post('/admin/rules/simulate', {
          source: 'servicenow',
          payload: snRecord({ priority: '3', impact: '3', urgency: '3' }),
          window: { storm_10m: 5 },
        }),
      );
      expect(p3.evaluation).toMatchObject({ decision: 'declare', decidedBy: 'storm' });
      const first = p3.evaluation.results.find((r) => r.ruleId === 'p1-on-tier-1')!;
      expect(first.matched).toBe(false);
      expect(first.explanation?.length).toBeGreaterThan(0);
      expect(await svc.majorIncidents.openFor('payroll')).toBeUndefined();
      // Dry runs that reach their route are not audited (the 415 and 413 above never reached it, and are).
      expect(
        auditLines().filter((l) => String(l.path).startsWith('/admin/rules/simulate') && l.route !== 'none'),
      ).toEqual([]);
    },
  );

  it('answers 400 naming the field for an unknown window, a bad payload and an unknown source', async () => {
    const window = await post('/admin/rules/simulate', {
      source: 'servicenow',
      payload: snRecord(),
      window: { nope: 1 },
    });
    expect(window.status).toBe(400);
    expect(await window.json()).toMatchObject({ field: 'window.nope' });
    const payload = await json<{ field: string }>(
      post('/admin/rules/simulate', { source: 'servicenow', payload: snRecord({ sys_id: 7 }) }),
    );
    expect(payload.field).toMatch(/^payload\./);
    expect(await json(post('/admin/rules/simulate', { source: 'zendesk', payload: {} }))).toMatchObject({
      field: 'source',
    });
  });
});

describe('admin API: major incidents', () => {
  it('declares from a source record, refuses that record twice and an unknown service, and audits', async () => {
    const origin = { source: 'servicenow', recordId: 'aa000000000000000000000000000042', number: 'INC0042' };
    const res = await post('/admin/major-incidents', {
      serviceId: 'library-catalogue',
      title: 'Catalogue search down',
      reason: 'bridge call',
      actor: 'bo.mim',
      origin,
    });
    expect(res.status).toBe(201);
    const { majorIncident: mi } = await json<{ majorIncident: { id: string; origin: unknown } }>(res);
    expect(mi.origin).toEqual(origin);
    const detail = await json<{
      children: Array<Record<string, unknown>>;
      timeline: Array<{ kind: string; detail: Record<string, unknown> }>;
    }>(get(`/admin/major-incidents/${mi.id}`));
    expect(detail.children).toEqual([
      expect.objectContaining({ incidentKey: `servicenow/${origin.recordId}`, role: 'origin' }),
    ]);
    expect(detail.timeline[0]).toMatchObject({
      kind: 'state.changed',
      actor: { type: 'person', id: 'bo.mim' },
      detail: { from: 'none', to: 'declared', trigger: 'manual.declare', reason: 'bridge call' },
    });

    const twice = await post('/admin/major-incidents', { serviceId: 'identity', title: 'again', reason: 'x', origin });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: 'record_linked', openId: mi.id });
    expect(
      await json(post('/admin/major-incidents', { serviceId: 'no-such-service', title: 't', reason: 'r' })),
    ).toMatchObject({ error: 'invalid_request', field: 'serviceId' });
    expect(
      await json(
        post('/admin/major-incidents', {
          serviceId: 'identity',
          title: 't',
          reason: 'r',
          origin: { source: 'servicenow' },
        }),
      ),
    ).toMatchObject({ field: 'origin.recordId' });
    expect(auditLines().find((l) => l.what === 'major-incident.declare' && l.target === mi.id)).toMatchObject({
      actor: 'bo.mim',
      before: 'none',
      after: 'declared',
      status: 201,
    });
  });

  it('resolves then closes with state.changed and actions.planned entries, and audits before/after', async () => {
    const { majorIncident: mi } = await json<{ majorIncident: { id: string } }>(
      post('/admin/major-incidents', { serviceId: 'payroll', title: 'Payroll down', reason: 'phone reports' }),
    );
    const resolved = await post(`/admin/major-incidents/${mi.id}/resolve`, { reason: 'fix deployed', actor: 'cy.mim' });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({
      majorIncident: { state: 'resolved', resolvedAt: expect.any(String) },
    });
    expect(
      (await post(`/admin/major-incidents/${mi.id}/close`, { reason: 'PIR scheduled', actor: 'cy.mim' })).status,
    ).toBe(200);

    const { timeline } = await json<{
      timeline: Array<{ kind: string; actor: { id: string }; detail: Record<string, unknown> }>;
    }>(get(`/admin/major-incidents/${mi.id}`));
    const moves = timeline.filter((e) => e.kind === 'state.changed').map((e) => e.detail);
    expect(moves).toEqual([
      { from: 'none', to: 'declared', trigger: 'manual.declare', reason: 'phone reports' },
      { from: 'declared', to: 'resolved', trigger: 'manual.resolve', reason: 'fix deployed' },
      { from: 'resolved', to: 'closed', trigger: 'manual.close', reason: 'PIR scheduled' },
    ]);
    expect(timeline.filter((e) => e.kind === 'actions.planned').map((e) => e.detail.effects)).toEqual([
      ['declare'],
      ['resolve'],
      ['close'],
    ]);
    expect(auditLines().find((l) => l.what === 'major-incident.resolve' && l.target === mi.id)).toMatchObject({
      actor: 'cy.mim',
      before: 'declared',
      after: 'resolved',
      reason: 'fix deployed',
    });

    const illegal = await post(`/admin/major-incidents/${mi.id}/resolve`, { reason: 'again' });
    expect(illegal.status).toBe(409);
    expect(await illegal.json()).toMatchObject({
      error: 'illegal_transition',
      reason: expect.stringContaining('closed'),
    });
    expect(auditLines().find((l) => l.what === 'major-incident.resolve' && l.status === 409)).toMatchObject({
      before: 'closed',
      after: 'closed',
      refused: 'ILLEGAL_TRANSITION',
    });
  });

  it('answers 404 for moves on an unknown id and 400 for bad reasons and queries', async () => {
    expect((await post('/admin/major-incidents/MI-NOPE/resolve', { reason: 'x' })).status).toBe(404);
    expect(await json(post('/admin/major-incidents/MI-NOPE/cancel', { reason: '' }))).toMatchObject({
      field: 'reason',
    });
    expect(await json(post('/admin/major-incidents/MI-NOPE/close', { reason: 'x'.repeat(2001) }))).toMatchObject({
      field: 'reason',
    });
    expect(await json(get('/admin/major-incidents?state=open'))).toMatchObject({ field: 'state' });
    expect(await json(get('/admin/major-incidents?limit=0'))).toMatchObject({ field: 'limit' });
    expect(await json(get('/admin/major-incidents?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'))).toMatchObject({
      field: 'from',
    });
  });

  it('lists newest first, within a time range', async () => {
    const { majorIncidents } = await json<{ majorIncidents: Array<{ id: string; createdAt: string }> }>(
      get('/admin/major-incidents'),
    );
    expect(majorIncidents.length).toBeGreaterThanOrEqual(2);
    const created = majorIncidents.map((m) => m.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    expect(await json(get('/admin/major-incidents?to=2000-01-01T00:00:00Z'))).toEqual({ majorIncidents: [] });
    expect(
      (await json<{ majorIncidents: unknown[] }>(get('/admin/major-incidents?limit=1'))).majorIncidents,
    ).toHaveLength(1);
  });
});
