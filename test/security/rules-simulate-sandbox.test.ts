import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { testRedis } from '../helpers/redis.ts';
import { signedHeaders } from '../helpers/sign.ts';
import { SECRETS, eventually } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { costlyDraft } from './lib/costly-draft.ts';

/**
 * Issue #16, item 2: one rules-simulate request froze the whole service (webhooks, /readyz, the
 * admin API) while it evaluated a draft on the web thread. Simulations now run in the rules
 * sandbox, a worker thread with a deadline. A draft every compile-time limit accepts can still
 * cost seconds (test/security/lib/costly-draft.ts): while it runs, the same service answers
 * webhooks and /readyz; at the deadline its worker is stopped and the caller told why. The
 * service is a process of its own, so what answers while the simulation runs is what a vendor
 * would see, not what this test's own thread could do.
 */
const TOKEN = 'rules-sandbox-test-token';
const TIMEOUT_MS = 1_500;
const { prefix, clean } = testRedis();
let svc: ChildService;
beforeAll(async () => {
  svc = await startChildService(
    {
      MIM_ADMIN_TOKEN: TOKEN,
      MIM_REDIS_PREFIX: prefix,
      TEST_SANDBOX_TIMEOUT_MS: String(TIMEOUT_MS),
      TEST_SANDBOX_MAX_QUEUE: '1',
    },
    'test/security/lib/sandbox-service-main.ts',
  );
});
afterAll(async () => {
  await svc?.kill();
  await clean();
});

const simulate = (body: unknown) =>
  fetch(`${svc.url}/admin/rules/simulate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const event = JSON.parse(readFileSync('test/fixtures/config/events/servicenow-p2-sso-outage.json', 'utf8')) as Record<
  string,
  unknown
>;
const { rules, description } = costlyDraft();
const costly = () => simulate({ event: { ...event, description }, draft: { 'rules.yaml': rules } });
const metric = async (line: RegExp) =>
  (await (await fetch(`${svc.url}/metrics`)).text()).split('\n').find((l) => line.test(l));
const inFlight = async () => Number((await metric(/^mim_rules_sandbox_tasks_in_flight /))?.split(' ')[1] ?? 0);

describe('the rules sandbox', () => {
  it(
    'keeps webhooks and /readyz answering while a costly draft is simulated, ' + 'then stops it at the deadline',
    async () => {
      await eventually(async () => (await fetch(`${svc.url}/readyz`)).status === 200, 10_000);
      let simulated = false;
      const pending = costly().then((res) => {
        simulated = true;
        return res;
      });
      // The simulation is under way (handed to the sandbox, not answered) before anything else is sent.
      await eventually(async () => (await inFlight()) === 1, 10_000);

      const body = JSON.stringify(snRecord({ sys_id: 'b0000000000000000000000000000001', sys_mod_count: '1' }));
      const webhook = await fetch(`${svc.url}/webhooks/servicenow`, {
        method: 'POST',
        body,
        headers: signedHeaders('servicenow', SECRETS.servicenow, body),
      });
      const ready = await fetch(`${svc.url}/readyz`);
      const rules = await fetch(`${svc.url}/admin/rules`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect({ webhook: webhook.status, ready: ready.status, rules: rules.status, simulated }).toEqual({
        webhook: 202,
        ready: 200,
        rules: 200,
        simulated: false,
      });

      const res = await pending;
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        error: 'sandbox_timeout',
        timeoutMs: TIMEOUT_MS,
        reason: expect.stringContaining(`did not finish within ${TIMEOUT_MS} ms`),
      });
      // The log line was written before the answer; the pipe from the child may deliver it after.
      await eventually(async () => svc.output().includes('a rules sandbox task did not finish in time'));
      expect(await metric(/^mim_rules_sandbox_tasks_total\{task="simulate",outcome="timeout"\}/)).toMatch(/ 1$/);
    },
  );

  it('simulates again after a stopped worker: a new one takes its place', async () => {
    const res = await simulate({ event });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ draft: false, evaluation: { decision: 'propose' } });
  });

  it('answers a draft with a catastrophic regex at once: matches() is RE2', async () => {
    const redos = readFileSync('config/rules.yaml', 'utf8').replace(
      'rules:\n',
      'rules:\n  - id: redos\n    description: backtracks exponentially on a native RegExp\n    when: ' +
        'incident.title.matches("^(a+)+$")\n    then: declare\n',
    );
    const res = await simulate({ event: { ...event, title: `${'a'.repeat(42)}!` }, draft: { 'rules.yaml': redos } });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { evaluation: { results: Array<{ ruleId: string; matched: boolean }> } };
    expect(out.evaluation.results[0]).toMatchObject({ ruleId: 'redos', matched: false });
  });

  it('refuses more work than its queue holds: 503 with Retry-After, naming the cause', async () => {
    const answers = await Promise.all([costly(), costly(), costly()]);
    const busy = answers.filter((r) => r.headers.get('retry-after') !== null);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy)
      expect({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json() }).toMatchObject({
        status: 503,
        retryAfter: '5',
        body: { error: 'sandbox_busy' },
      });
    expect(await metric(/^mim_rules_sandbox_tasks_total\{task="simulate",outcome="busy"\}/)).toBeDefined();
  });

  it('answers 400 naming where a deeply nested body goes too deep, never a 500', async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    for (const [body, field] of [
      [`{"source":"servicenow","payload":${deep(20_000)}}`, /^payload(\.a)+$/],
      [`{"event":${deep(20_000)}}`, /^event(\.a)+$/],
      [`{"event":{},"window":${deep(100)}}`, /^window(\.a)+$/],
    ] as const) {
      const res = await simulate(body);
      expect(res.status).toBe(400);
      const out = (await res.json()) as { error: string; field: string; issues: Array<{ message: string }> };
      expect(out).toMatchObject({ error: 'invalid_request', issues: [{ message: 'nested more than 64 levels deep' }] });
      expect(out.field).toMatch(field);
    }
  });
});
