import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import { configCopy } from '../../helpers/config-dir.ts';

const TOKEN = 'admin-test-token';
let svc: TestService;
// rules/validate reads only the config directory and folders inside it: a copy, with broken drafts inside.
const root = configCopy();
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN, MIM_CONFIG_DIR: root.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const api = (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) =>
  fetch(`${svc.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

describe('admin API', () => {
  it('answers 401 without detail for a missing or wrong token', async () => {
    expect((await api('/admin/rules', { token: null })).status).toBe(401);
    const res = await api('/admin/rules', { token: 'nope' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  });

  it('shows the active rules and version', async () => {
    const body = (await (await api('/admin/rules')).json()) as { version: string; rules: Array<{ id: string }> };
    expect(body.version).toBe(svc.config.current().version);
    expect(body.rules.map((r) => r.id)).toEqual(svc.config.current().rules.rules.map((r) => r.id));
    expect(body.rules.map((r) => r.id)).toContain('p1-on-tier-1');
  });

  it('validates a config directory and names file and line of a problem', async () => {
    const broken = configCopy(root.dir);
    broken.edit('rules.yaml', (t) => t.replace('then: declare', 'then: panic'));
    const res = await api('/admin/rules/validate', { body: { dir: broken.dir } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { issues: Array<{ file: string; line: number; path: string }> };
    expect(body.issues[0]).toMatchObject({ file: 'rules.yaml', path: 'rules.0.then' });
    expect(body.issues[0]!.line).toBeGreaterThan(1);
    expect(await (await api('/admin/rules/validate', { body: {} })).json()).toMatchObject({ valid: true });
  });

  it('simulates an event without side effects: which rule matched and why', async () => {
    const event = {
      source: 'servicenow',
      deliveryId: 'sim-1',
      kind: 'incident.created',
      vendorEvent: 'insert',
      recordId: 'r-sim',
      number: 'INC9',
      title: 'Payroll down',
      priority: 1,
      serviceName: 'Payroll',
      updatedAt: '2026-11-20T09:00:00Z',
      receivedAt: '2026-11-20T09:00:01Z',
      changedFields: [],
    };
    const body = (await (await api('/admin/rules/simulate', { body: { event } })).json()) as {
      evaluation: { decision: string; decidedBy: string; results: Array<{ explanation?: unknown[] }> };
      service: { id: string };
    };
    expect(body.service.id).toBe('payroll');
    expect(body.evaluation).toMatchObject({ decision: 'declare', decidedBy: 'p1-on-tier-1' });
    expect(JSON.stringify(body.evaluation.results[0]!.explanation)).toContain('incident.priority == 1');
    expect(await svc.majorIncidents.openFor('payroll')).toBeUndefined();
  });

  it('answers 400 naming the field for a bad body, and for bad JSON', async () => {
    const res = await api('/admin/rules/simulate', { body: { event: { source: 'zendesk' } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toMatch(/^event\./);
    const raw = await fetch(`${svc.url}/admin/rules/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{"event":',
    });
    expect(raw.status).toBe(400);
  });

  it('declares by hand, lists, shows the timeline, resolves and closes, and refuses an illegal move', async () => {
    const declared = await api('/admin/major-incidents', {
      body: {
        serviceId: 'identity',
        title: 'SSO outage reported by phone',
        reason: 'Service desk call volume',
        actor: 'ann.mim',
      },
    });
    expect(declared.status).toBe(201);
    const { majorIncident: mi } = (await declared.json()) as { majorIncident: { id: string; state: string } };
    expect(mi.state).toBe('declared');

    const again = await api('/admin/major-incidents', { body: { serviceId: 'identity', title: 'twice', reason: 'x' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ openId: mi.id });

    const list = (await (await api('/admin/major-incidents?state=declared&service=identity')).json()) as {
      majorIncidents: Array<{ id: string }>;
    };
    expect(list.majorIncidents.map((m) => m.id)).toEqual([mi.id]);

    expect((await api(`/admin/major-incidents/${mi.id}/close`, { body: { reason: 'too early' } })).status).toBe(200);
    const illegal = await api(`/admin/major-incidents/${mi.id}/cancel`, { body: { reason: 'oops' } });
    expect(illegal.status).toBe(409);
    expect(await illegal.json()).toMatchObject({ error: 'illegal_transition' });

    const detail = (await (await api(`/admin/major-incidents/${mi.id}`)).json()) as {
      majorIncident: { state: string };
      timeline: Array<{ kind: string; actor: { id: string } }>;
    };
    expect(detail.majorIncident.state).toBe('closed');
    // Action results interleave as workers finish; the lifecycle entries come in this order.
    expect(detail.timeline.map((e) => e.kind).filter((k) => !k.startsWith('action.'))).toEqual([
      'state.changed',
      'roles.assigned',
      'actions.planned',
      'state.changed',
      'actions.planned',
      'transition.refused',
    ]);
    expect(detail.timeline[0]!.actor.id).toBe('ann.mim');
    expect((await api('/admin/major-incidents/MI-NOPE')).status).toBe(404);
    expect((await api(`/admin/major-incidents/${mi.id}/resolve`, { body: {} })).status).toBe(400);
  });

  it('lists dead letters (identity has no PagerDuty routing key here) and answers 404 for an unknown one', async () => {
    const { deadLetters } = await eventually(async () => {
      const body = (await (await api('/admin/dead-letters?target=pagerduty')).json()) as {
        deadLetters: Array<{ code: string; job: { do: string } }>;
      };
      return body.deadLetters.length ? body : undefined;
    });
    expect(deadLetters[0]).toMatchObject({ code: 'INVALID_INPUT', job: { do: expect.stringMatching(/^pagerduty\./) } });
    expect((await api('/admin/dead-letters/unknown/replay', { body: {} })).status).toBe(404);
  });

  it('leaves webhooks unaffected by the admin token', async () => {
    const body = JSON.stringify(snRecord({ sys_id: 'ad000000000000000000000000000001' }));
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body,
          headers: signedHeaders('servicenow', SECRETS.servicenow, body),
        })
      ).status,
    ).toBe(202);
    await eventually(() => svc.majorIncidents.openFor('payroll'));
  });
});
