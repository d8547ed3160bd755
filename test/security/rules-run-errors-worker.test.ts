import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy } from '../helpers/config-dir.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

const UNGUARDED = [
  '  - id: mi-state-unguarded',
  '    description: reads majorIncidentState without has()',
  '    when: service.tier == 1 && incident.majorIncidentState == "accepted"',
  '    then: declare',
  '',
].join('\n');
const config = configCopy();
config.edit('rules.yaml', (t) => t.replace('rules:\n', `rules:\n${UNGUARDED}`));
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_CONFIG_DIR: config.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

describe('the events worker', () => {
  it('counts a rule error, logs it and warns in /readyz', async () => {
    const body = JSON.stringify(snRecord({ major_incident_state: '' }));
    const res = await fetch(`${svc.url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    });
    expect(res.status).toBeLessThan(300);
    const deadline = Date.now() + 15_000;
    let metrics = '';
    while (Date.now() < deadline) {
      metrics = await (await fetch(`${svc.url}/metrics`)).text();
      if (/^mim_rule_errors_total\{rule="mi-state-unguarded"\} 1/m.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metrics).toMatch(/^mim_rule_errors_total\{rule="mi-state-unguarded"\} 1/m);
    const ready = (await (await fetch(`${svc.url}/readyz`)).json()) as { warnings: Array<{ rules: unknown[] }> };
    expect(ready.warnings[0]?.rules[0]).toMatchObject({
      rule: 'mi-state-unguarded',
      error: 'No such key: majorIncidentState',
    });
    expect(svc.logs.some((l) => l.includes('"rule":"mi-state-unguarded"'))).toBe(true);
  });
});
