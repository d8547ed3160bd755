/**
 * What MIM_INTAKE_MIN_REPLICAS=1 costs a webhook: the intake's answer time with and without it.
 *   node bench/replica-ack.ts [--rate 100] [--seconds 20] [--replicas 1]
 * A Sentinel set of its own on loopback (a primary, `--replicas` replicas, three sentinels), the
 * service as a child process (`all`) on it, signed ServiceNow webhooks at `--rate` a second for
 * `--seconds`, once with MIM_INTAKE_MIN_REPLICAS=0 and once with 1 (the same set, a fresh prefix
 * each). Prints p50, p90, p99 and max of the 202s as the client saw them, and the service's own
 * `mim_intake_replica_wait_seconds` (the WAIT alone). Results: docs/reliability.md §8.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startChildService } from '../test/helpers/child-service.ts';
import { configCopy } from '../test/helpers/config-dir.ts';
import { uniquePrefix } from '../test/helpers/service.ts';
import { unmappedLoadBody } from '../test/chaos/lib/load-record.ts';
import { pct, servicenowLoad, sleep } from '../test/chaos/lib/load.ts';
import { MASTER_NAME, sentinelSet } from '../test/chaos/lib/sentinel-set.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '20' },
    replicas: { type: 'string', default: '1' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);

/** The histogram's count and sum for one outcome, from /metrics. */
function waitFigures(metrics: string): string {
  const count = /mim_intake_replica_wait_seconds_count\{outcome="confirmed"\} (\d+)/.exec(metrics)?.[1];
  const sum = /mim_intake_replica_wait_seconds_sum\{outcome="confirmed"\} ([\d.e-]+)/.exec(metrics)?.[1];
  const short = /mim_intake_replicas_short_total (\d+)/.exec(metrics)?.[1];
  if (!count) return 'no replica waits';
  return `${count} webhooks confirmed (warm-up included), mean wait ${((Number(sum) / Number(count)) * 1000).toFixed(2)} ms, ${short ?? 0} short`;
}

const set = await sentinelSet({ replicas: Number(values.replicas) });
const config = configCopy();
try {
  console.log(
    `replica acknowledgement: ${RATE} webhooks/s for ${SECONDS} s, Sentinel with ${values.replicas} replica(s), ` +
      'service as one `all` child process',
  );
  for (const minReplicas of [0, 1, 0, 1]) {
    const service = await startChildService({
      REDIS_URL: 'redis://sentinel-managed.invalid:6379',
      REDIS_SENTINELS: set.sentinels,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      MIM_REDIS_PREFIX: uniquePrefix(),
      MIM_CONFIG_DIR: config.dir,
      MIM_INTAKE_MIN_REPLICAS: String(minReplicas),
      LOG_LEVEL: 'warn',
    });
    try {
      // A second of warm-up (JIT, connections), not counted.
      const warm = servicenowLoad(service.url, RATE, 'w', unmappedLoadBody);
      await sleep(1_000);
      await warm.stop();
      const load = servicenowLoad(service.url, RATE, `m${minReplicas}`, unmappedLoadBody);
      await sleep(SECONDS * 1000);
      await load.stop();
      const ms = load.sent.filter((s) => s.status === 202).map((s) => (s.doneAt ?? s.sentAt) - s.sentAt);
      const other = load.sent.length - ms.length;
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      console.log(
        `MIM_INTAKE_MIN_REPLICAS=${minReplicas}: ${ms.length} × 202 (${other} other), p50 ${pct(ms, 50)} ms, ` +
          `p90 ${pct(ms, 90)} ms, p99 ${pct(ms, 99)} ms, max ${Math.max(...ms)} ms; ${waitFigures(metrics)}`,
      );
    } finally {
      await service.kill();
    }
  }
} finally {
  await set.close();
  rmSync(config.dir, { recursive: true, force: true });
}
