/**
 * Scale-out benchmark: one web process (MIM_ROLE=web) and 1, 2 and 4 worker processes
 * (MIM_ROLE=worker) on one Redis prefix, each count running the storm and an end-to-end load
 * that is faster than one worker drains. Reports events/s processed per process count
 * (accepted events ÷ time from first send until the events queue is empty), and shows that
 * ordering and idempotency hold: one major incident per storm, no duplicate vendor objects,
 * every accepted event processed exactly once, every record's snapshot its newest change.
 * Exits non-zero on a violation. On a 2-core machine more processes cannot add CPU: read the
 * figures as "what coordination costs", not as scaling.
 *
 *   node bench/scale-out.ts [--workers 1,2,4] [--storm-count 10000] [--storm-seconds 60] [--rate 500] [--seconds 20]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load.ts';
import { runStorm } from './lib/storm-run.ts';
import { startBench } from './lib/world.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2,4' },
    'storm-count': { type: 'string', default: '10000' },
    'storm-seconds': { type: 'string', default: '60' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    'declare-every': { type: 'string', default: '2' },
  },
});
const counts = values.workers.split(',').map(Number);
const seconds = Number(values.seconds);
const rows = [];
let failed = false;
for (const workers of counts) {
  const storm = await startBench({ workers });
  let stormResult: Awaited<ReturnType<typeof runStorm>>;
  try {
    stormResult = await runStorm(storm, {
      count: Number(values['storm-count']),
      seconds: Number(values['storm-seconds']),
    });
  } finally {
    await storm.close();
  }
  const declareEverySeconds = Number(values['declare-every']);
  const e2e = await startBench({
    workers,
    services: Math.ceil(seconds / declareEverySeconds) + 5,
    stormThreshold: 1_000_000,
  });
  let load: Awaited<ReturnType<typeof runLoad>>;
  try {
    load = await runLoad(e2e, { rate: Number(values.rate), seconds, declareEverySeconds });
  } finally {
    await e2e.close();
  }
  const drainedAfter =
    typeof load.backlog.drainedMsAfterSendEnd === 'number' ? load.backlog.drainedMsAfterSendEnd : undefined;
  // From the first send to the drained queue; the sender may have taken longer than `seconds` on a busy machine.
  const loadThroughput =
    drainedAfter === undefined
      ? undefined
      : Math.round(load.processing.accepted / (load.sent / load.achievedRate + drainedAfter / 1000));
  // Vendor objects of the load: one page and one ticket per declared major incident.
  const duplicates = [
    load.latencyMs.page!.n > load.declarations ? 'pages' : '',
    load.latencyMs.ticket!.n > load.declarations ? 'tickets' : '',
  ].filter(Boolean);
  const violations = [
    ...stormResult.violations.map((v) => `storm: ${v}`),
    ...(load.processing.missing ? [`load: ${load.processing.missing} accepted events never processed`] : []),
    ...(load.processing.processedTwice ? [`load: ${load.processing.processedTwice} events processed twice`] : []),
    ...(load.processing.outOfOrder
      ? [
          `load: ${load.processing.outOfOrder} records ended on an older change ` +
            `(${load.processing.outOfOrderSample.join('; ')})`,
        ]
      : []),
    ...duplicates.map((d) => `load: duplicate ${d}`),
  ];
  if (violations.length) failed = true;
  const row = {
    workers,
    storm: {
      eventsPerS: stormResult.backlog.throughputPerS,
      drainedMsFromFirstSend: stormResult.backlog.drainedMsFromFirstSend,
      mis: stormResult.majorIncidents,
      jira: stormResult.jiraIssues,
      pd: stormResult.pdTriggers,
      children: stormResult.children,
      peakRssMb: stormResult.memory.rssMb,
      redisUsedMb: stormResult.memory.redisUsedMb,
    },
    load: {
      rate: load.rate,
      achievedRate: load.achievedRate,
      statuses: load.statuses,
      recordsLeftOutOfOrderCheck: load.processing.recordsWithUnansweredChanges,
      eventsPerS: loadThroughput,
      backlog: load.backlog.verdict,
      maxWaiting: load.backlog.maxWaiting,
      drainedMsAfterSendEnd: load.backlog.drainedMsAfterSendEnd,
      pageP50: load.latencyMs.page!.p50,
      pageP99: load.latencyMs.page!.p99,
      processed: `${load.processing.processed}/${load.processing.accepted}`,
      twice: load.processing.processedTwice,
      outOfOrder: load.processing.outOfOrder,
    },
    violations,
  };
  rows.push(row);
  console.log(
    `scale-out ${workers} worker(s): storm ${row.storm.eventsPerS ?? '?'} events/s (drained ` +
      `${row.storm.drainedMsFromFirstSend} ms, MIs ${row.storm.mis}, Jira ${row.storm.jira}, PD ${row.storm.pd}, ` +
      `children ${row.storm.children}); load ${row.load.rate}/s → ${row.load.eventsPerS ?? '?'} events/s, backlog ` +
      `${row.load.backlog} (max ${row.load.maxWaiting}), page p50/p99 ${row.load.pageP50}/${row.load.pageP99} ms, ` +
      `processed ${row.load.processed}, twice ${row.load.twice}, out of order ${row.load.outOfOrder}; ` +
      `${violations.length ? `VIOLATIONS: ${violations.join('; ')}` : 'ordering and idempotency hold'}`,
  );
}
console.log(
  JSON.stringify({ cores: cpus().length, node: process.version, date: new Date().toISOString(), rows }, null, 2),
);
if (failed) process.exitCode = 1;
