import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';

const TOKEN = 'sim-draft-admin-token';
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into several different answer shapes
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('the rule simulator: recent events and drafts', () => {
  it('lists recent events newest first, filtered by source, and validates the query', async () => {
    for (const [i, p] of [
      ['1', '3'],
      ['2', '2'],
    ] as const) {
      const body = JSON.stringify(
        snRecord({
          sys_id: `d0000000000000000000000000000${i}${i}${i}`,
          sys_mod_count: '1',
          priority: p,
          impact: p,
          urgency: p,
          business_service: { value: 'x', display_value: 'Library Catalogue' },
          cmdb_ci: { value: 'y', display_value: 'libcat-web01' },
        }),
      );
      expect(
        (
          await fetch(`${svc.url}/webhooks/servicenow`, {
            method: 'POST',
            body,
            headers: signedHeaders('servicenow', SECRETS.servicenow, body),
          })
        ).status,
      ).toBe(202);
    }
    const { body } = await eventually(async () => {
      const r = await admin('GET', '/admin/events?limit=5&source=servicenow');
      return r.body.events?.length === 2 ? r : undefined;
    });
    expect(body.events.map((e: { event: { recordId: string } }) => e.event.recordId)).toEqual([
      'd0000000000000000000000000000222',
      'd0000000000000000000000000000111',
    ]);
    expect((await admin('GET', '/admin/events?limit=0')).status).toBe(400);
  });

  it('simulates against a draft config without applying it, and names what is wrong in an invalid draft', async () => {
    const event = (await admin('GET', '/admin/events?limit=1')).body.events[0].event;
    const active = await admin('POST', '/admin/rules/simulate', { event });
    expect(active.status).toBe(200);
    expect(active.body.evaluation.decision).toBe('none');
    // A draft that declares every incident on the tier-3 Library Catalogue.
    const rules = readFileSync('config/rules.yaml', 'utf8').replace(
      'rules:\n',
      'rules:\n  - id: library-anything\n    description: Draft rule for the test.\n    when: service.tier == 3\n   ' +
        ' then: declare\n',
    );
    const draft = await admin('POST', '/admin/rules/simulate', { event, draft: { 'rules.yaml': rules } });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({
      draft: true,
      evaluation: { decision: 'declare', decidedBy: 'library-anything' },
    });
    expect(svc.config.current().rules.rules.some((r) => r.id === 'library-anything')).toBe(false);
    const broken = await admin('POST', '/admin/rules/simulate', {
      event,
      draft: { 'rules.yaml': rules.replace('then: declare', 'then: shout') },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.issues[0]).toMatchObject({ file: 'rules.yaml' });
    expect((await admin('POST', '/admin/rules/simulate', { event, draft: { 'secrets.txt': 'x' } })).status).toBe(400);
  });
});
