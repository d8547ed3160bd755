/**
 * One end-to-end load against a running bench: the planned webhooks at a fixed rate, then the
 * latency from each declaring webhook's send to the first matching request at each simulator,
 * the events backlog over the run, and whether every accepted event was processed exactly once.
 */
import { randomBytes } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { incidentKey } from '../../src/domain/incident-event.ts';
import { eventJobId } from '../../src/queue/job-id.ts';
import { plan, type Planned } from './events.ts';
import { backlogTrend, paced, percentiles, processedDeliveries, sampler, sleep, type Bench } from './world.ts';

export interface LoadOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly declareEverySeconds: number;
  readonly drainTimeoutMs?: number;
}

const KINDS = {
  page: {
    sim: 'pagerduty',
    match: (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/v2/enqueue',
  },
  ticket: {
    sim: 'jira',
    match: (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/rest/api/3/issue',
  },
  message: {
    sim: 'slack',
    match: (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/api/chat.postMessage',
  },
  teams: { sim: 'teams', match: (r: { method: string }) => r.method === 'POST' },
} as const;

export async function runLoad(bench: Bench, opts: LoadOptions) {
  const runId = randomBytes(3).toString('hex');
  const planned: Planned[] = plan({
    count: Math.round(opts.rate * opts.seconds),
    rate: opts.rate,
    secret: bench.sandbox.secrets.servicenow,
    declareEverySeconds: opts.declareEverySeconds,
    servicenow: bench.sandbox.servicenow,
    runId,
  });
  const mark = {
    pd: bench.sandbox.pagerduty.requests.length,
    jira: bench.sandbox.jira.requests.length,
    slack: bench.sandbox.slack.requests.length,
    teams: bench.sandbox.teams.requests.length,
    sn: bench.sandbox.servicenow.requests.length,
  };
  const samples = sampler(bench);
  // The events jobs of the declarations, read while they are still kept (completed jobs are trimmed to 10,000).
  const conn = bench.client.duplicate();
  const eventsQ = new Queue('events', { connection: conn, prefix: bench.prefix });
  const declJobs = new Map<string, { timestamp: number; processedOn?: number; finishedOn?: number }>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      for (const p of planned) {
        if (!p.token || declJobs.get(p.token)?.finishedOn) continue;
        const j = await Job.fromId(eventsQ, eventJobId('servicenow', p.deliveryId)).catch(() => undefined);
        if (j?.finishedOn)
          declJobs.set(p.token, {
            timestamp: j.timestamp,
            processedOn: j.processedOn ?? undefined,
            finishedOn: j.finishedOn,
          });
      }
      await sleep(500);
    }
  })();
  const t0 = Date.now();
  const sent = await paced({
    url: `${bench.web.url}/webhooks/servicenow`,
    bodies: planned.map((p) => p.body),
    sigs: planned.map((p) => p.sig),
    rate: opts.rate,
    maxInFlight: 512,
  });
  const sendEnd = Date.now() - t0;
  const drainMs = await samples.drained(opts.drainTimeoutMs ?? 120_000);
  // Pages and tickets of the last declarations are still on their way; wait for them (bounded).
  const tokens = planned.filter((p) => p.token);
  const deadline = Date.now() + 30_000;
  const lastToken = tokens.at(-1)?.token;
  while (lastToken && Date.now() < deadline) {
    const have = (reqs: readonly { body: unknown }[], from: number) =>
      reqs.slice(from).some((r) => JSON.stringify(r.body).includes(lastToken));
    if (have(bench.sandbox.pagerduty.requests, mark.pd) && have(bench.sandbox.jira.requests, mark.jira)) break;
    await sleep(250);
  }
  await samples.stop();
  polling = false;
  await poller;

  const sentAt = new Map<string, number>();
  const sysSent = new Map<string, number>();
  planned.forEach((p, i) => {
    if (p.token) {
      sentAt.set(p.token, sent.sentAt[i]!);
      sysSent.set(p.sysId, sent.sentAt[i]!);
    }
  });
  const latency: Record<string, ReturnType<typeof percentiles> & { missing: number }> = {};
  for (const [kind, k] of Object.entries(KINDS)) {
    const sim = bench.sandbox[k.sim];
    const from =
      k.sim === 'pagerduty' ? mark.pd : k.sim === 'jira' ? mark.jira : k.sim === 'slack' ? mark.slack : mark.teams;
    const first = new Map<string, number>();
    for (const r of sim.requests.slice(from)) {
      if (!k.match(r)) continue;
      const text = JSON.stringify(r.body);
      for (const t of sentAt.keys())
        if (!first.has(t) && text.includes(t)) first.set(t, Date.parse(r.at) - sentAt.get(t)!);
    }
    latency[kind] = { ...percentiles([...first.values()]), missing: sentAt.size - first.size };
  }
  // ServiceNow: the first write-back (major_incident_state) to the declaring record.
  const snFirst = new Map<string, number>();
  for (const r of bench.sandbox.servicenow.requests.slice(mark.sn)) {
    const m = /\/api\/now\/table\/incident\/([0-9a-f]{32})$/.exec(r.path);
    if (m && r.method !== 'GET' && sysSent.has(m[1]!) && !snFirst.has(m[1]!))
      snFirst.set(m[1]!, Date.parse(r.at) - sysSent.get(m[1]!)!);
  }
  latency.servicenow = { ...percentiles([...snFirst.values()]), missing: sysSent.size - snFirst.size };

  // Where the time to the page goes: intake, events queue wait, handling, outbox relay, PagerDuty queue wait (its
  // limiter), the send.
  const mis = (
    await bench.web.admin<{ majorIncidents: Array<{ id: string; title?: string }> }>(
      'GET',
      '/admin/major-incidents?limit=500',
    )
  ).body.majorIncidents;
  const tokenOfMi = new Map<string, string>();
  for (const m of mis) for (const t of sentAt.keys()) if (m.title?.includes(t)) tokenOfMi.set(m.id, t);
  const pdQ = new Queue('actions-pagerduty', { connection: conn, prefix: bench.prefix });
  const pdJobs = await pdQ.getJobs(['completed'], 0, 5000);
  const pageAt = new Map<string, number>();
  for (const r of bench.sandbox.pagerduty.requests.slice(mark.pd)) {
    const text = JSON.stringify(r.body);
    for (const t of sentAt.keys()) if (!pageAt.has(t) && text.includes(t)) pageAt.set(t, Date.parse(r.at));
  }
  const parts: Record<string, number[]> = {
    intake: [],
    eventsQueueWait: [],
    handling: [],
    relayToPagerdutyQueue: [],
    pagerdutyQueueWait: [],
    pagerdutySend: [],
  };
  for (const j of pdJobs) {
    const t = tokenOfMi.get((j.data as { majorIncidentId?: string }).majorIncidentId ?? '');
    const e = t ? declJobs.get(t) : undefined;
    if (
      !t ||
      !e?.processedOn ||
      !e.finishedOn ||
      (j.data as { do?: string }).do !== 'pagerduty.trigger' ||
      !j.processedOn
    )
      continue;
    parts.intake!.push(e.timestamp - sentAt.get(t)!);
    parts.eventsQueueWait!.push(e.processedOn - e.timestamp);
    parts.handling!.push(e.finishedOn - e.processedOn);
    parts.relayToPagerdutyQueue!.push(j.timestamp - e.finishedOn);
    parts.pagerdutyQueueWait!.push(j.processedOn - j.timestamp);
    if (pageAt.has(t)) parts.pagerdutySend!.push(pageAt.get(t)! - j.processedOn);
  }
  const pageBreakdownMs = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, percentiles(v)]));
  await pdQ.close();
  await eventsQ.close();
  conn.disconnect();

  const statuses: Record<string, number> = {};
  for (const s of sent.status) statuses[s] = (statuses[s] ?? 0) + 1;
  const accepted = planned.filter((_, i) => sent.status[i] === 202).map((p) => p.deliveryId);
  const processed = await processedDeliveries(bench.client, bench.prefix);
  const missing = accepted.filter((d) => !processed.has(d));
  const acceptedSet = new Set(accepted);
  const twice = [...processed.entries()].filter(([d, n]) => n > 1 && acceptedSet.has(d));
  // Ordering: whatever order the workers took them in, each record's snapshot is its newest change.
  // A record with an unanswered or refused change is left out: that change may or may not have been taken.
  const newest = new Map<string, Planned>();
  const uncertain = new Set<string>();
  planned.forEach((p, i) => {
    if (sent.status[i] === 202) newest.set(p.sysId, p);
    else uncertain.add(p.sysId);
  });
  for (const id of uncertain) newest.delete(id);
  const pipe = bench.client.pipeline();
  // A snapshot is a hash of fields, each its JSON (store/snapshot-store.ts).
  for (const sysId of newest.keys())
    pipe.hmget(
      `${bench.prefix}:snapshot:${incidentKey({ source: 'servicenow', recordId: sysId })}`,
      'f:updatedAt',
      'f:priority',
    );
  const snaps = (await pipe.exec()) ?? [];
  let outOfOrder = 0;
  const outOfOrderSample: string[] = [];
  [...newest.values()].forEach((p, i) => {
    const [updatedAt, priority] = (snaps[i]?.[1] ?? []) as Array<string | null>;
    const snap = updatedAt
      ? {
          updatedAt: JSON.parse(updatedAt) as string,
          priority: priority ? (JSON.parse(priority) as number) : undefined,
        }
      : null;
    if (
      !snap ||
      Date.parse(snap.updatedAt ?? '') !== p.updatedAtMs ||
      (p.kind !== 'declare' && snap.priority !== p.priority)
    ) {
      outOfOrder++;
      if (outOfOrderSample.length < 3)
        outOfOrderSample.push(
          `${p.sysId}: want ${new Date(p.updatedAtMs).toISOString()} P${p.priority}, have ` +
            `${JSON.stringify(snap && { updatedAt: snap.updatedAt, priority: snap.priority })}`,
        );
    }
  });
  const trend = backlogTrend(samples.queues, 0, sendEnd);
  // Growing: the backlog's trend over the sending period gains more than 2 % of the rate per second.
  const growing = trend.slopePerS > Math.max(1, opts.rate * 0.02);
  const verdict = growing ? 'growing' : trend.max > opts.rate ? `flat, with a transient peak of ${trend.max}` : 'flat';
  const lastActions = samples.queues.at(-1)?.actions ?? {};
  return {
    rate: opts.rate,
    seconds: opts.seconds,
    sent: planned.length,
    declarations: tokens.length,
    statuses,
    achievedRate: Math.round(planned.length / ((sent.endedAt - sent.startedAt) / 1000)),
    senderMaxLagMs: sent.maxLagMs,
    senderErrors: sent.errors,
    senderErrorSample: sent.errorSample,
    latencyMs: latency,
    pageBreakdownMs,
    backlog: {
      verdict,
      slopePerS: trend.slopePerS,
      maxWaiting: trend.max,
      atSendEnd: trend.last,
      drainedMsAfterSendEnd: drainMs ?? 'not drained',
      series: (trend.series ?? []).filter((_, i) => i % 5 === 0),
    },
    actionsWaitingAtEnd: lastActions,
    processing: {
      accepted: accepted.length,
      processed: accepted.filter((d) => processed.has(d)).length,
      otherProcessed: [...processed.keys()].filter((d) => !acceptedSet.has(d)).length,
      missing: missing.length,
      processedTwice: twice.length,
      records: newest.size,
      recordsWithUnansweredChanges: uncertain.size,
      outOfOrder,
      outOfOrderSample,
      missingSample: missing.slice(0, 3),
      twiceSample: twice.slice(0, 3),
    },
    memory: samples.peaks(),
  };
}
