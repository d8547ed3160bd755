/**
 * Rules benchmark: evaluation per event for the default config and for 100 and 1,000 generated
 * rules, next to the cost of zod-parsing the same event.   node bench/rules.ts [--events 20000]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/files/load-config.ts';
import { RulesFile } from '../src/config/files/schema.ts';
import { IncidentEvent } from '../src/domain/incident-event.ts';
import { compileRules, type CompiledRules } from '../src/rules/compile-rules.ts';
import { evaluateRules, type RuleFacts } from '../src/rules/evaluate.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' } } });
const N = Number(values.events);
const config = await loadConfig('config');
const payroll = config.services.services[0]!;

const event: IncidentEvent = {
  source: 'servicenow', deliveryId: 'x@1', kind: 'incident.updated', vendorEvent: 'update', recordId: '9d385017c611228701d22104cc95c371',
  number: 'INC0010042', title: 'Payroll portal slow for some staff', description: 'Pages take 10 s to load.', priority: 3, impact: 2, urgency: 2,
  state: 'in_progress', serviceName: 'Payroll', ciName: 'payroll-app01', assignmentGroup: 'Payroll Platform', caller: 'Abel Tuter',
  updatedAt: '2026-11-20T09:05:00Z', updatedBy: 'abel.tuter', changedFields: ['state'], receivedAt: '2026-11-20T09:05:01Z',
};
const facts: RuleFacts = { incident: event, service: payroll, window: { storm_10m: { count: 2, distinctCallers: 2 } }, vips: config.services.vips, now: new Date() };

/** Realistic but non-matching rules, so every one of them is evaluated (the worst case for first-match). */
function generated(n: number): CompiledRules {
  const rules = Array.from({ length: n }, (_, i) => ({
    id: `gen-${i}`, description: 'generated',
    when: i % 2 === 0
      ? `service.tier == ${(i % 3) + 1} && has(incident.priority) && incident.priority == ${(i % 2) + 1} && incident.title.contains("kw${i}")`
      : `window.storm_10m.count >= ${10 + i} || (has(incident.caller) && incident.caller == "caller-${i}")`,
    then: i % 5 === 0 ? 'declare' : 'propose',
  }));
  return compileRules(RulesFile.parse({ rules, windows: [{ id: 'storm_10m', duration: '10m' }], playbooks: {} })).compiled;
}

function measure(fn: () => unknown): { medianUs: number; p99Us: number; perSecond: number } {
  for (let i = 0; i < Math.min(2_000, N); i++) fn();
  const samples = new Float64Array(N);
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    fn();
    samples[i] = (performance.now() - t) * 1000;
  }
  const total = performance.now() - start;
  samples.sort();
  const round = (x: number) => Math.round(x * 10) / 10;
  return { medianUs: round(samples[Math.floor(N / 2)]!), p99Us: round(samples[Math.floor(N * 0.99)]!), perSecond: Math.round(N / (total / 1000)) };
}

const zod = measure(() => IncidentEvent.parse(event));
const rows: Record<string, unknown> = { cores: cpus().length, events: N, zodParse: zod };
for (const [name, compiled] of [['default', config.compiled], ['100 rules', generated(100)], ['1000 rules', generated(1000)]] as const) {
  const m = measure(() => evaluateRules(compiled, facts, 'matched'));
  rows[name] = { rules: compiled.rules.length, ...m, ratioToZodParse: Math.round((m.medianUs / zod.medianUs) * 10) / 10 };
}
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
