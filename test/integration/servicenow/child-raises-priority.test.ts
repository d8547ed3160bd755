import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord, wrapped } from '../../helpers/servicenow-record.ts';

/**
 * Through the events worker, with tier-1 services declared at P2 (rules.yaml tiers.1.priority: 2):
 * a storm of P3s declares a P2; a P3 child leaves it there; a P1 child raises it to P1 and plans
 * the write to the ServiceNow record. The outbox is not relayed here (no action workers).
 */
let svc: TestService;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mim-priority-'));
  cpSync('config', dir, { recursive: true });
  const rules = readFileSync(join(dir, 'rules.yaml'), 'utf8').replace(/(maxEscalations: 3) \}/, '$1, priority: 2 }');
  if (!rules.includes('priority: 2')) throw new Error('test setup: no tier-1 line in rules.yaml');
  writeFileSync(join(dir, 'rules.yaml'), rules);
  svc = await startTestService({ MIM_CONFIG_DIR: dir });
});
afterAll(async () => {
  await stopAndClean(svc);
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
async function sn(fields: Record<string, unknown>) {
  seq += 1;
  const record = snRecord({
    sys_id: `pri${String(seq).padStart(29, '0')}`,
    number: `INC${String(seq).padStart(7, '0')}`,
    sys_mod_count: '1',
    business_service: { value: 'x', display_value: 'Payroll' },
    cmdb_ci: '',
    sys_updated_on: new Date().toISOString().replace('T', ' ').slice(0, 19),
    ...fields,
  });
  const body = JSON.stringify(wrapped(record, 'insert', []));
  const res = await fetch(`${svc.url}/webhooks/servicenow`, {
    method: 'POST',
    body,
    headers: signedHeaders('servicenow', SECRETS.servicenow, body),
  });
  expect(res.status).toBe(202);
  return record;
}
const p3 = { priority: '3', impact: '2', urgency: '2', short_description: 'Payroll export failed' };

describe('a child never lowers the major incident priority, and a higher one raises it', () => {
  it('storm of P3s → P2 (the tier), P3 child → still P2, P1 child → P1 with the ServiceNow write planned', async () => {
    for (let i = 0; i < 5; i += 1) await sn(p3);
    const declared = await eventually(async () => {
      const mi = await svc.majorIncidents.openFor('payroll');
      return mi?.state === 'declared' ? mi : undefined;
    });
    expect(declared.priority).toBe(2);

    const lower = await sn(p3);
    await eventually(async () =>
      (await svc.majorIncidents.children(declared.id)).some((c) => c.recordId === lower.sys_id),
    );
    expect((await svc.majorIncidents.get(declared.id))?.priority).toBe(2);

    const higher = await sn({ ...p3, priority: '1', impact: '1', urgency: '1' });
    const raised = await eventually(async () => {
      const mi = await svc.majorIncidents.get(declared.id);
      return mi?.priority === 1 ? mi : undefined;
    });
    expect(raised.state).toBe('declared');
    const entry = (await svc.majorIncidents.timeline(declared.id)).find((e) => e.kind === 'priority.raised');
    expect(entry?.detail).toMatchObject({ from: 2, to: 1, child: { recordId: higher.sys_id } });
    expect(entry?.detail.writes).toEqual(expect.arrayContaining(['servicenow.set_priority', 'jira.set_priority']));
  });
});
