import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { rulesRuntime } from '../../src/orchestrator/rules-adapter.ts';
import { ruleErrorReporter } from '../../src/rules/run-error-log.ts';
import { configCopy } from '../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * Issue #18, "Rules that cannot fail silently": a rule that compiles but errs at run time (here it reads
 * `incident.impact` without has(), and a Jira-style event has no impact) did not match, and nothing said so. Now the
 * error is counted (mim_rule_errors_total{rule}), logged with the rule id and CEL's reason but none of the event's
 * text, and /readyz carries a warning naming the rule while staying 200. Real service, real Redis, unique prefix.
 */
const UNGUARDED = [
  '  - id: impact-unguarded',
  '    description: reads impact without has(), so events without impact cannot be evaluated',
  '    when: service.tier == 1 && incident.impact == 1',
  '    then: declare',
  '',
].join('\n');
const SECRET_TITLE = 'Payroll down, password=hunter2 "quoted"';

const config = configCopy();
config.edit('rules.yaml', (t) => t.replace('rules:\n', `rules:\n${UNGUARDED}`));
let svc: TestService;
const logs: string[] = [];
const logger = createLogger(
  'info',
  {},
  new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  }),
);

beforeAll(async () => {
  svc = await startTestService({ MIM_CONFIG_DIR: config.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const get = async (path: string) => {
  const res = await fetch(`${svc.url}${path}`);
  return { status: res.status, text: await res.text() };
};
const counted = async () => {
  const line = (await get('/metrics')).text.split('\n').find((l) => l.startsWith('mim_rule_errors_total{rule="impact'));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('a rule that errs at run time', () => {
  it('is counted, logged without the event, and turns on a readiness warning, not a failure', async () => {
    const ready = await get('/readyz');
    expect(JSON.parse(ready.text).warnings).toBeUndefined();
    const before = await counted();

    // What the events worker runs per event: the active config's runtime, then the reporter.
    const runtime = rulesRuntime(svc.config.current());
    const report = ruleErrorReporter({ redis: svc.redis, prefix: svc.keys.prefix, logger });
    const incident = {
      source: 'jira' as const,
      recordId: '10042',
      number: 'PAY-17',
      title: SECRET_TITLE,
      serviceName: 'Payroll',
      priority: 3,
      updatedAt: new Date().toISOString(),
    };
    const service = runtime.resolveService({ ...incident, source: 'servicenow' });
    expect(service?.id).toBe('payroll');
    const evaluation = runtime.evaluate({ incident, service, window: {}, now: new Date() });
    expect(evaluation.results[0]).toMatchObject({
      ruleId: 'impact-unguarded',
      matched: false,
      error: 'No such key: impact',
    });
    await report(evaluation, incident);
    await report(evaluation, incident);

    expect((await counted()) - before).toBe(2);
    const warned = logs.filter((l) => l.includes('"rule":"impact-unguarded"'));
    expect(warned).toHaveLength(1); // once per rule per minute, however many events
    expect(JSON.parse(warned[0]!)).toMatchObject({
      level: 40,
      rule: 'impact-unguarded',
      error: 'No such key: impact',
      incident: 'jira/10042',
    });
    expect(logs.join('')).not.toContain('hunter2');

    const after = await get('/readyz');
    expect(after.status).toBe(200);
    const body = JSON.parse(after.text);
    expect(body.status).toBe('ready');
    expect(body.warnings).toEqual([
      {
        check: 'rules',
        detail: expect.stringContaining('rule impact-unguarded could not be evaluated'),
        rules: [
          {
            rule: 'impact-unguarded',
            error: 'No such key: impact',
            at: expect.any(String),
            configVersion: svc.config.current().version,
          },
        ],
      },
    ]);
    expect(after.text).not.toContain('hunter2');
    expect(after.text).not.toContain('10042');
  });

  it('is not counted for an unmapped incident: never decided, its service has no fields by design', async () => {
    const runtime = rulesRuntime(svc.config.current());
    const before = await counted();
    const incident = { source: 'servicenow' as const, recordId: 'x', updatedAt: new Date().toISOString() };
    const evaluation = runtime.evaluate({ incident, service: null, window: {}, now: new Date() });
    expect(evaluation.unmapped).toBe(true);
    await ruleErrorReporter({ redis: svc.redis, prefix: svc.keys.prefix, logger })(evaluation, incident);
    expect(await counted()).toBe(before);
  });
});
