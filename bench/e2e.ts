/**
 * End-to-end benchmark: mim-bridge as a child process (MIM_ROLE=all) against the simulators on
 * loopback, signed ServiceNow webhooks at a fixed rate from a worker thread, and for each rate:
 * p50/p99 from webhook sent to the first page (PagerDuty), ticket (Jira), message (Slack),
 * Teams post and ServiceNow write-back of each declared major incident; the events backlog
 * (flat or growing); every accepted event processed exactly once.
 *
 *   node bench/e2e.ts [--rates 50,200,500] [--seconds 60] [--declare-every 2]
 *
 * The mix: 55 % new low-priority incidents across five services, 30 % updates, 15 % comments,
 * and one P1 on a fresh tier-1 service every `--declare-every` seconds (each a major incident).
 * The storm rule is raised out of reach in the config copy (bench/storm.ts measures storms):
 * at these rates it would declare every service in the first seconds. The action rate limits
 * are the shipped ones: Slack 1 message/s for all channels, so Slack latency is queueing.
 * Exits non-zero if an accepted event is lost or processed twice. Never asserts timings.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load.ts';
import { startBench } from './lib/world.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,200,500' },
    seconds: { type: 'string', default: '60' },
    'declare-every': { type: 'string', default: '2' },
  },
});
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);
const declareEverySeconds = Number(values['declare-every']);

let failed = false;
const results = [];
for (const rate of rates) {
  const bench = await startBench({ services: Math.ceil(seconds / declareEverySeconds) + 5, stormThreshold: 1_000_000 });
  try {
    const r = await runLoad(bench, { rate, seconds, declareEverySeconds });
    results.push(r);
    const l = r.latencyMs;
    const f = (k: string) =>
      `${k} p50 ${l[k]!.p50} / p99 ${l[k]!.p99} ms (n ${l[k]!.n}${l[k]!.missing ? `, ${l[k]!.missing} missing` : ''})`;
    console.log(
      `e2e ${rate}/s × ${seconds}s: sent ${r.sent} at ${r.achievedRate}/s, ${r.declarations} MIs; ${f('page')}; ` +
        `${f('ticket')}; ${f('message')}; ${f('servicenow')}; backlog ${r.backlog.verdict} (max ` +
        `${r.backlog.maxWaiting}, slope ${r.backlog.slopePerS}/s, drained ${r.backlog.drainedMsAfterSendEnd} ms ` +
        `after); processed ${r.processing.processed}/${r.processing.accepted} (missing ${r.processing.missing}, ` +
        `twice ${r.processing.processedTwice}); ${r.processing.outOfOrder} of ${r.processing.records} records out ` +
        'of order',
    );
    const b = r.pageBreakdownMs;
    console.log(
      `  to the page, p50/p99 ms: ${Object.entries(b)
        .map(([k, v]) => `${k} ${v.p50}/${v.p99}`)
        .join(', ')}`,
    );
    if (r.processing.missing || r.processing.processedTwice || r.processing.outOfOrder) failed = true;
  } finally {
    await bench.close();
  }
}
console.log(
  JSON.stringify({ cores: cpus().length, node: process.version, date: new Date().toISOString(), results }, null, 2),
);
if (failed) {
  console.error(
    'e2e: an accepted event was lost, processed twice, or a record ended on an older change (see processing above)',
  );
  process.exitCode = 1;
}
