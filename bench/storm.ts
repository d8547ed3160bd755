/**
 * Storm benchmark: 10,000 ServiceNow incidents for Payroll within 60 s against mim-bridge (a
 * child process, MIM_ROLE=all) and the simulators, the shipped config (storm rule: 5 open
 * incidents in 10 minutes). Checks, and exits non-zero on a violation: exactly one major
 * incident, one Jira issue, one PagerDuty trigger, one announcement per audience channel,
 * every incident attached as a child, every accepted event processed once. Reports the time
 * until the events backlog is drained and the peak RSS of each process and Redis used_memory.
 *
 *   node bench/storm.ts [--count 10000] [--seconds 60] [--workers 0] [--drain-timeout 600]
 *
 * `--workers N` runs one web and N worker processes instead (bench/scale-out.ts does so).
 * Linking each child in ServiceNow (parent_incident) is an action at the shipped 10/s limit:
 * those writes are still queued at the end and are reported, not waited for.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runStorm } from './lib/storm-run.ts';
import { startBench } from './lib/world.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '0' },
    'drain-timeout': { type: 'string', default: '600' },
  },
});
const bench = await startBench({ workers: Number(values.workers) });
try {
  const r = await runStorm(bench, {
    count: Number(values.count),
    seconds: Number(values.seconds),
    drainTimeoutMs: Number(values['drain-timeout']) * 1000,
  });
  console.log(
    JSON.stringify(
      {
        cores: cpus().length,
        node: process.version,
        date: new Date().toISOString(),
        workers: Number(values.workers),
        ...r,
      },
      null,
      2,
    ),
  );
  console.log(
    `storm ${r.count} in ${r.seconds}s (${r.achievedRate}/s sent): drained ${r.backlog.drainedMsFromFirstSend} ` +
      `ms after the first send (${r.backlog.drainedMsAfterLastSend} ms after the last), ` +
      `${r.backlog.throughputPerS ?? '?'} events/s; MIs ${r.majorIncidents}, Jira ${r.jiraIssues}, PD ` +
      `${r.pdTriggers} (+${r.pdEscalations} escalation), children ${r.children}; peak RSS ` +
      `${JSON.stringify(r.memory.rssMb)} MB, Redis used ${r.memory.redisUsedMbAtStart}→${r.memory.redisUsedMb} MB; ` +
      `${r.violations.length ? `VIOLATIONS: ${r.violations.join('; ')}` : 'all checks hold'}`,
  );
  if (r.violations.length) process.exitCode = 1;
} finally {
  await bench.close();
}
