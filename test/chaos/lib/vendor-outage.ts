import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { majorIncidents, miDetail } from '../../../sandbox/demo/views.ts';
import { waitFor } from '../../../sandbox/demo/wait-for.ts';
import type { World } from '../../../sandbox/demo/world.ts';
import type { RecordedRequest } from '../../../sandbox/shared/sim-server.ts';
import { e2eWorld, logPayrollP1 } from '../../e2e/e2e-world.ts';
import { sleep } from './load.ts';

/**
 * ARCHITECTURE §5 "one vendor down or throttled does not slow the others; Retry-After is
 * honoured". Against the simulators and mim-bridge as a child process:
 *  1. a baseline major incident with every vendor up (latency to the PagerDuty trigger and to
 *     mim-bridge's first ServiceNow write), closed again;
 *  2. Jira answers 503 (Retry-After: 1) to everything for `outageMs`, Slack answers the first
 *     `slack429` chat.postMessage calls 429 with Retry-After; a second major incident is declared
 *     in the outage: PagerDuty and ServiceNow must be served during it;
 *  3. once Jira is back every Jira action arrives exactly once (one issue per MI label), and no
 *     chat.postMessage went to a channel before its 429's Retry-After had passed (the simulator's
 *     request log; slackWaits).
 * The retry policy is shortened in rules.yaml (`actions.retry`: the shipped cap is 10 minutes, so
 * after a long outage the next Jira attempt could come up to 10 minutes later).
 */
export interface VendorOutageOptions {
  readonly outageMs: number;
  readonly slack429: number;
  readonly retryAfterSeconds: number;
}

export interface VendorOutageResult {
  readonly baseline: { pagerduty: number; servicenow: number };
  readonly during: { pagerduty: number | undefined; servicenow: number | undefined };
  /** Whether each was served before Jira came back. */
  readonly servedDuringOutage: { pagerduty: boolean; servicenow: boolean };
  readonly jiraRefused: number;
  /** Issues per MI label after the outage (each must be 1). */
  readonly issuesPerMi: Record<string, number>;
  readonly jiraCreates201: number;
  readonly jiraIssues: number;
  readonly duplicatedLabels: string[];
  readonly slack429s: number;
  /** chat.postMessage calls to a channel before its 429's Retry-After had passed (slackWaits). */
  readonly slackEarly: string[];
  readonly line: string;
}

const t = (r: RecordedRequest) => Date.parse(r.at);

const channelOf = (r: RecordedRequest): string | undefined => {
  const channel = (r.body as { channel?: unknown } | undefined)?.channel;
  return typeof channel === 'string' ? channel : undefined;
};

/**
 * What followed each injected chat.postMessage 429 (`fault: 'rate_limit'`, whose Retry-After the
 * caller set) within its Retry-After, as "<429 at> <channel> → <next at> <channel>": `early`, posts
 * to the same channel (Retry-After not honoured); `otherChannels`, posts elsewhere. Slack's
 * chat.postMessage limit is per channel ("one message per second per channel, while also
 * maintaining a workspace-wide limit"), so only the first break the rule:
 * https://docs.slack.dev/apis/web-api/rate-limits https://docs.slack.dev/reference/methods/chat.postMessage
 * The worker pauses the whole Slack queue on a 429, which stops jobs from starting; a job that had
 * already started for another channel still posts a few milliseconds after the 429 (the chaos run
 * sees one such post whenever two declaration messages go out together). Channels are compared by
 * id: the status post names the channel as audiences.yaml does (`#payroll-status`), the threaded
 * reply uses the id Slack answered; `channelId` resolves either. A post that arrived after the 429
 * counts, even one sent before its answer came back, so `early` errs towards reporting.
 */
export function slackWaits(
  requests: readonly RecordedRequest[],
  retryAfterMs: number,
  channelId: (ref: string) => string | undefined,
): { early: string[]; otherChannels: string[] } {
  const posts = requests
    .filter((r) => /chat\.postMessage$/.test(r.path))
    .map((r) => {
      const ref = channelOf(r) ?? '(no channel)';
      return { r, ref, id: channelId(ref) ?? ref };
    });
  const early: string[] = [];
  const otherChannels: string[] = [];
  posts.forEach((limited, i) => {
    if (limited.r.fault !== 'rate_limit') return;
    const until = t(limited.r) + retryAfterMs;
    for (const next of posts.slice(i + 1).filter((p) => t(p.r) < until)) {
      const entry = `${limited.r.at} ${limited.ref} → ${next.r.at} ${next.ref}`;
      (next.id === limited.id ? early : otherChannels).push(entry);
    }
  });
  return { early, otherChannels };
}

const writesAfter = (reqs: readonly RecordedRequest[], from: number) =>
  reqs.filter((r) => r.method !== 'GET' && t(r) >= from && !r.fault);

async function declare(world: World, label: string) {
  const started = Date.now();
  const record = logPayrollP1(world, `Payroll portal down (${label})`);
  const mi = await waitFor(`the ${label} major incident`, 20_000, async () =>
    (await majorIncidents(world.service, 'payroll')).find((m) => m.state !== 'closed'),
  );
  return { started, mi, record };
}

export async function vendorOutage(opts: VendorOutageOptions): Promise<VendorOutageResult> {
  const world = await e2eWorld({
    env: { LOG_LEVEL: 'warn' },
    editConfig: (dir) =>
      appendFileSync(path.join(dir, 'rules.yaml'), '\nactions:\n  retry: { base: 500ms, cap: 2s, horizon: 1h }\n'),
  });
  try {
    const { sandbox, service } = world;
    const latency = (reqs: readonly RecordedRequest[], from: number) => {
      const first = writesAfter(reqs, from).find((r) => (r.status ?? 0) < 300);
      return first ? t(first) - from : undefined;
    };

    // 1. Baseline, every vendor up.
    const base = await declare(world, 'baseline');
    await waitFor('the baseline MI paged, ticketed and written back', 20_000, async () => {
      const d = await miDetail(service, base.mi.id);
      return (
        Boolean(d?.majorIncident.links.jira && d.majorIncident.links.pagerduty) &&
        latency(sandbox.servicenow.requests, base.started) !== undefined
      );
    });
    const baseline = {
      pagerduty: latency(sandbox.pagerduty.requests, base.started) ?? -1,
      servicenow: latency(sandbox.servicenow.requests, base.started) ?? -1,
    };
    sandbox.servicenow
      .act({ as: 'beth.anglin' })
      .update(base.record.sys_id ?? '', { state: '7', close_code: 'Solution provided', close_notes: 'Baseline done.' });
    await waitFor(
      'the baseline MI closed',
      20_000,
      async () => (await miDetail(service, base.mi.id))?.majorIncident.state === 'closed',
    );
    await sleep(2_000);

    // 2. Jira down, Slack throttling; a new major incident.
    sandbox.jira.inject({ kind: 'unavailable', count: 1e9, retryAfterSeconds: 1 });
    sandbox.slack.inject({
      kind: 'rate_limit',
      count: opts.slack429,
      retryAfterSeconds: opts.retryAfterSeconds,
      path: /chat\.postMessage$/,
    });
    const outageFrom = Date.now();
    const second = await declare(world, 'outage');
    const deadline = outageFrom + opts.outageMs;
    await waitFor(
      'PagerDuty and ServiceNow served during the Jira outage',
      Math.max(1_000, deadline - Date.now()),
      async () =>
        latency(sandbox.pagerduty.requests, second.started) !== undefined &&
        latency(sandbox.servicenow.requests, second.started) !== undefined,
    ).catch(() => undefined);
    const during = {
      pagerduty: latency(sandbox.pagerduty.requests, second.started),
      servicenow: latency(sandbox.servicenow.requests, second.started),
    };
    await sleep(Math.max(0, deadline - Date.now()));
    const outageTo = Date.now();
    sandbox.jira.clearFaults();
    const servedDuringOutage = {
      pagerduty: during.pagerduty !== undefined && second.started + during.pagerduty < outageTo,
      servicenow: during.servicenow !== undefined && second.started + during.servicenow < outageTo,
    };

    // 3. Jira back: exactly once.
    await waitFor('the outage MI has its Jira issue', 30_000, async () =>
      Boolean((await miDetail(service, second.mi.id))?.majorIncident.links.jira),
    );
    await sleep(3_000);
    const issues = sandbox.jira.issues();
    const issuesPerMi = Object.fromEntries(
      [base.mi.id, second.mi.id].map((id) => [id, issues.filter((i) => i.labels.includes(`mim-${id}`)).length]),
    );
    // Every issue carries one marker label (the MI's, or its PIR's): none may be there twice.
    const perLabel = new Map<string, number>();
    for (const i of issues)
      for (const l of i.labels.filter((x) => x.startsWith('mim-'))) perLabel.set(l, (perLabel.get(l) ?? 0) + 1);
    const duplicatedLabels = [...perLabel].filter(([, n]) => n > 1).map(([l, n]) => `${l}×${n}`);
    const jiraCreates201 = sandbox.jira.requests.filter(
      (r) => r.method === 'POST' && r.path === '/rest/api/3/issue' && r.status === 201,
    ).length;
    const jiraRefused = sandbox.jira.requests.filter((r) => r.fault === 'unavailable').length;

    const slack = sandbox.slack.requests.filter((r) => /chat\.postMessage$/.test(r.path));
    const waits = slackWaits(
      sandbox.slack.requests,
      opts.retryAfterSeconds * 1000,
      (ref) => sandbox.slack.channel(ref)?.id,
    );
    const slack429s = slack.filter((x) => x.fault === 'rate_limit').length;
    const line =
      `chaos vendor-outage: Jira 503 for ${Math.round((outageTo - outageFrom) / 1000)} s (${jiraRefused} refused); ` +
      `PagerDuty ${baseline.pagerduty} ms before → ${during.pagerduty ?? 'not delivered'} ms during, ServiceNow ` +
      `${baseline.servicenow} ms → ${during.servicenow ?? 'not delivered'} ms; ` +
      `Jira issues per MI ${Object.values(issuesPerMi).join('/')}, ${issues.length} issues from ${jiraCreates201} ` +
      `creates, ${duplicatedLabels.length} duplicated labels; Slack ${slack429s}×429 Retry-After ` +
      `${opts.retryAfterSeconds} s, ${waits.early.length} posts early to the channel told to wait ` +
      `(${waits.otherChannels.length} to other channels in that time)`;
    return {
      baseline,
      during,
      servedDuringOutage,
      jiraRefused,
      issuesPerMi,
      jiraCreates201,
      jiraIssues: issues.length,
      duplicatedLabels,
      slack429s,
      slackEarly: waits.early,
      line,
    };
  } finally {
    await world.close();
  }
}
