import type { IncidentEvent } from '../../../src/domain/incident-event.ts';
import { DeadLetters } from '../../../src/queue/actions/dead-letters.ts';
import { eventJobId } from '../../../src/queue/job-id.ts';
import { drain, type FuzzService } from './fuzz-service.ts';
import { excerpt, type Violation } from './fuzz-run.ts';

/** Where an accepted event came from: the endpoint and the case's index (caseAt regenerates its body). */
export interface Origin {
  readonly source: string;
  readonly index: number;
  readonly body: (index: number) => string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Calls `each` with every event the events worker took up, oldest first (the worker logs each before handling it). */
async function forEachLogged(fz: FuzzService, each: (e: IncidentEvent) => void): Promise<void> {
  let from = '-';
  for (;;) {
    const rows = await fz.redis.xrange(`${fz.prefix}:eventlog`, from, '+', 'COUNT', 5_000);
    for (const [, fields] of rows) each(JSON.parse(fields[1] ?? 'null') as IncidentEvent);
    if (rows.length < 5_000) return;
    from = `(${rows[rows.length - 1]![0]}`;
  }
}

/**
 * After the fuzz: every accepted event was taken up and none ended failed (retries fast-forwarded,
 * see drain), no accepted event is dated more than a day after it arrived (one from the far
 * future would make every real update of its record look stale), and no action ended as a dead
 * letter. `accepted` maps each 202's job id to the request that got it.
 */
export async function eventViolations(
  fz: FuzzService,
  accepted: ReadonlyMap<string, Origin>,
  deadlineMs: number,
): Promise<Violation[]> {
  const out: Violation[] = [];
  const from = (jobId: string | undefined) => {
    const o = jobId === undefined ? undefined : accepted.get(jobId);
    return o
      ? { where: `/webhooks/${o.source}`, index: o.index, body: ` for ${excerpt(o.body(o.index), 300)}` }
      : { where: `events job ${jobId}`, body: '' };
  };
  const left = await drain(fz.events, deadlineMs, true);
  if (left)
    out.push({
      kind: 'event lost',
      where: 'events queue',
      detail: `still queued after ${deadlineMs} ms: ${JSON.stringify(left)}`,
    });
  const failed = await fz.events.getFailed(0, 49);
  for (const job of failed) {
    const o = from(job.id);
    out.push({
      kind: 'event failed',
      where: o.where,
      ...(o.index === undefined ? {} : { index: o.index }),
      detail: `${job.failedReason} (event ${excerpt(JSON.stringify(job.data), 300)})${o.body}`,
    });
  }
  const more = (await fz.events.getFailedCount()) - failed.length;
  if (more > 0) out.push({ kind: 'event failed', where: 'events queue', detail: `and ${more} more in the failed set` });
  const taken = new Set<string>();
  await forEachLogged(fz, (e) => {
    const jobId = eventJobId(e.source, e.deliveryId);
    taken.add(jobId);
    if (e.updatedAt && Date.parse(e.updatedAt) > Date.parse(e.receivedAt) + DAY_MS) {
      const o = from(jobId);
      out.push({
        kind: 'event invariant',
        where: o.where,
        ...(o.index === undefined ? {} : { index: o.index }),
        detail: `accepted with updatedAt ${e.updatedAt}, received ${e.receivedAt}${o.body}`,
      });
    }
  });
  for (const [jobId, o] of accepted) {
    if (!taken.has(jobId))
      out.push({
        kind: 'event lost',
        where: `/webhooks/${o.source}`,
        index: o.index,
        detail: `answered 202 as ${jobId} but never processed`,
      });
  }
  return out;
}

/**
 * Dead letters once the action queues are quiet (bounded: a rate-limited queue may still hold work, never a false
 * letter).
 */
export async function deadLetterViolations(fz: FuzzService, deadlineMs: number): Promise<Violation[]> {
  await Promise.all(fz.actions.map((q) => drain(q, deadlineMs, false)));
  const letters = await new DeadLetters(fz.redis, fz.prefix).list(20);
  return letters.map((l) => ({
    kind: 'dead letter',
    where: l.queue,
    detail: `${l.code}: ${l.detail ?? ''} (action ${excerpt(JSON.stringify(l.job), 300)})`,
  }));
}

/** The process is still there, live and ready (Redis, the intake's connection, a consuming worker). */
export async function healthViolations(fz: FuzzService): Promise<Violation[]> {
  const out: Violation[] = [];
  if (!fz.alive())
    out.push({
      kind: 'server error',
      where: 'process',
      detail: `exited (${fz.svc.child.exitCode ?? fz.svc.child.signalCode}): ${fz.svc.output().slice(-2_000)}`,
    });
  else {
    for (const probe of ['/healthz', '/readyz']) {
      const res = await fetch(`${fz.svc.url}${probe}`, { signal: AbortSignal.timeout(15_000) }).catch(
        (err: Error) => err,
      );
      if (res instanceof Error) out.push({ kind: 'hang', where: probe, detail: res.message });
      else if (res.status !== 200)
        out.push({ kind: 'server error', where: probe, detail: `${res.status} ${await res.text()}` });
    }
  }
  return out;
}
