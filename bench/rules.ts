/**
 * Rules benchmark: evaluating one event against the default config and against 100 and 1,000
 * generated rules, next to the cost of zod-parsing the same event (IncidentEvent.parse).
 *
 *   node bench/rules.ts [--events 20000]
 *
 * Per event: median and p99 µs, and events/s on one core (one thread, back to back). None of the
 * generated rules match, so every rule runs: the worst case for first-match. Each set is measured
 * as shipped (fast path on, explanations only for matched or failed rules) and with the fast path
 * off (every condition goes to the CEL library), to show what the fast path is worth.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/files/load-config.ts';
import { RulesFile, Service } from '../src/config/files/schema.ts';
import { IncidentEvent } from '../src/domain/incident-event.ts';
import { compileRules, type CompiledRules } from '../src/rules/compile-rules.ts';
import { evaluate, type ExplainMode } from '../src/rules/evaluate.ts';
import { buildFacts } from '../src/rules/facts.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' } } });
const EVENTS = Number(values.events);
const config = await loadConfig('config');

const event: IncidentEvent = {
  source: 'servicenow',
  deliveryId: '9d385017c611228701d22104cc95c371@7',
  kind: 'incident.updated',
  vendorEvent: 'update',
  recordId: '9d385017c611228701d22104cc95c371',
  number: 'INC0010042',
  title: 'Payroll portal slow for some staff',
  description: 'Pages take 10 s to load.',
  priority: 3,
  impact: 2,
  urgency: 2,
  state: 'in_progress',
  serviceName: 'Payroll',
  ciName: 'payroll-app01',
  assignmentGroup: 'Payroll Platform',
  caller: 'Abel Tuter',
  updatedAt: '2026-11-20T09:05:00Z',
  updatedBy: 'abel.tuter',
  changedFields: ['state'],
  receivedAt: '2026-11-20T09:05:01Z',
};
const facts = buildFacts(config, event, {
  window: { storm_10m: { count: 2, distinctCallers: 2 } },
  now: new Date('2026-11-20T09:05:01Z'),
});

/**
 * Four realistic shapes, a quarter each, none matching this event: a guarded conjunction (the
 * fast path rejects it), a window-or-caller check (decided by the fast path), a regex on the
 * title behind a guard that passes (goes to the library), a macro (library only).
 */
function generated(n: number): CompiledRules {
  const shapes = [
    (i: number) =>
      `service.tier == ${(i % 3) + 1} && has(incident.priority) && incident.priority == ${(i % 2) + 1} && ` +
      `incident.title.contains("kw${i}")`,
    (i: number) => `window.storm_10m.count >= ${10 + i} || (has(incident.caller) && incident.caller == "caller-${i}")`,
    (i: number) => `service.tier <= 2 && incident.title.lowerAscii().matches("\\\\b(kw${i}|outage${i})\\\\b")`,
    (i: number) => `["kw${i}", "alt${i}"].exists(k, incident.title.contains(k))`,
  ];
  const rules = Array.from({ length: n }, (_, i) => ({
    id: `gen-${i}`,
    description: 'generated',
    when: shapes[i % 4]!(i),
    then: i % 5 === 0 ? 'declare' : 'propose',
  }));
  const { compiled, problems } = compileRules(
    RulesFile.parse({ rules, windows: [{ id: 'storm_10m', duration: '10m' }], playbooks: {} }),
    { version: `generated-${n}`, vips: config.compiled.vips, serviceSchema: Service },
  );
  if (problems.length) throw new Error(JSON.stringify(problems[0]));
  return compiled;
}

const withoutFastPath = (c: CompiledRules): CompiledRules => ({
  ...c,
  rules: c.rules.map(({ fastPath: _unused, ...rule }) => rule),
});

function measure(
  fn: () => unknown,
  budgetMs = 4_000,
): { medianUs: number; p99Us: number; eventsPerSecond: number; samples: number } {
  const warm = performance.now();
  let warmed = 0;
  while (warmed < 2_000 && performance.now() - warm < budgetMs / 4) {
    fn();
    warmed++;
  }
  const perCall = (performance.now() - warm) / warmed;
  const n = Math.max(200, Math.min(EVENTS, Math.floor(budgetMs / perCall)));
  const samples = new Float64Array(n);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    samples[i] = (performance.now() - t) * 1000;
  }
  const total = performance.now() - start;
  samples.sort();
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    medianUs: round(samples[Math.floor(n / 2)]!),
    p99Us: round(samples[Math.floor(n * 0.99)]!),
    eventsPerSecond: Math.round(n / (total / 1000)),
    samples: n,
  };
}

const zod = measure(() => IncidentEvent.parse(event));
const rows: Array<Record<string, unknown>> = [{ case: 'zod IncidentEvent.parse', rules: '-', ...zod, xZod: 1 }];
const sets: Array<[string, CompiledRules]> = [
  ['default config', config.compiled],
  ['100 generated', generated(100)],
  ['1,000 generated', generated(1000)],
];
for (const [name, compiled] of sets) {
  for (const [variant, rules, explain] of [
    ['', compiled, 'matched'],
    [' (fast path off)', withoutFastPath(compiled), 'matched'],
  ] as Array<[string, CompiledRules, ExplainMode]>) {
    const m = measure(() => evaluate(rules, facts, { explain }));
    rows.push({
      case: `${name}${variant}`,
      rules: compiled.rules.length,
      ...m,
      xZod: Math.round((m.medianUs / zod.medianUs) * 10) / 10,
    });
  }
}
const simulator = measure(() => evaluate(config.compiled, facts, { explain: 'all' }));
rows.push({
  case: 'default config, explain: all (simulator)',
  rules: config.compiled.rules.length,
  ...simulator,
  xZod: Math.round((simulator.medianUs / zod.medianUs) * 10) / 10,
});

process.stdout.write(
  `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), one thread\n`,
);
console.table(rows);
