/**
 * One storm against a running bench: `count` new ServiceNow incidents for Payroll within
 * `seconds`, then the checks of issue 8 — exactly one major incident, one Jira issue, one
 * PagerDuty trigger, one announcement per audience channel, every incident a child, every
 * accepted event processed once — and the drain time and memory peaks.
 */
import { randomBytes } from 'node:crypto';
import { signServicenow } from '../../sandbox/servicenow/webhook.ts';
import { SN_REFERENCES } from '../../sandbox/index.ts';
import { rng } from './events.ts';
import { paced, processedDeliveries, sampler, sleep, type Bench } from './world.ts';

export interface StormOptions {
  readonly count: number;
  readonly seconds: number;
  readonly drainTimeoutMs?: number;
}

const ref = (display: string) => ({
  value: Object.entries(SN_REFERENCES).find(([, d]) => d === display)?.[0] ?? '',
  display_value: display,
});
const TITLES = [
  'Payroll portal slow',
  'Cannot open payslip',
  'Payroll page times out',
  'Error 503 on payroll',
  'Payroll login loops',
  'Payroll export hangs',
];
const CALLERS = ['Fred Luddy', 'Beth Anglin', 'Abel Tuter'];

export async function runStorm(bench: Bench, opts: StormOptions) {
  const rand = rng(7);
  const runId = randomBytes(3).toString('hex');
  const secret = bench.sandbox.secrets.servicenow;
  const bodies: string[] = [];
  const sigs: string[] = [];
  const ids: string[] = [];
  // Source times are now: the storm window is trimmed by wall clock (window-store.ts).
  const t = Date.now();
  for (let i = 0; i < opts.count; i++) {
    const title = `${TITLES[Math.floor(rand() * TITLES.length)]} (${runId}-${i})`;
    // In the simulator too, so linking each child in ServiceNow (parent_incident) finds the record.
    const rec = bench.sandbox.servicenow
      .act({ as: 'mim-bridge' })
      .create({ short_description: title, impact: '2', urgency: '3' });
    const body = JSON.stringify({
      event: 'insert',
      changed: [],
      record: {
        sys_id: rec.sys_id,
        number: rec.number,
        short_description: title,
        description: 'Users report the payroll portal misbehaving.',
        state: '1',
        impact: '2',
        urgency: '3',
        priority: '4',
        major_incident_state: '',
        correlation_id: '',
        close_code: '',
        close_notes: '',
        sys_updated_on: new Date(t + i * ((opts.seconds * 1000) / opts.count))
          .toISOString()
          .slice(0, 19)
          .replace('T', ' '),
        sys_updated_by: 'fred.luddy',
        sys_mod_count: '0',
        business_service: ref('Payroll'),
        cmdb_ci: ref('payroll-app01'),
        assignment_group: ref('Service Desk'),
        assigned_to: { value: '', display_value: '' },
        caller_id: ref(CALLERS[i % CALLERS.length]!),
        parent_incident: { value: '', display_value: '' },
      },
    });
    bodies.push(body);
    sigs.push(signServicenow(secret, body));
    ids.push(`${rec.sys_id}@0`);
  }
  const s = bench.sandbox;
  const mark = {
    pd: s.pagerduty.requests.length,
    jira: s.jira.requests.length,
    slack: s.slack.requests.length,
    teams: s.teams.requests.length,
    email: s.email.messages.length,
  };
  const samples = sampler(bench);
  const t0 = Date.now();
  const sent = await paced({
    url: `${bench.web.url}/webhooks/servicenow`,
    bodies,
    sigs,
    rate: opts.count / opts.seconds,
    maxInFlight: 512,
  });
  const sendMs = Date.now() - t0;
  const drainedAfter = await samples.drained(opts.drainTimeoutMs ?? 300_000);
  const drainMs = drainedAfter === undefined ? undefined : Date.now() - t0;
  // The announcements and the ticket are rate limited (Slack 1/s): give them up to 60 s more.
  await samples.drained(60_000, ['pagerduty', 'jira', 'slack', 'teams', 'email']);
  await sleep(1_000);
  const final = await samples.sample();
  await samples.stop();

  const accepted = ids.filter((_, i) => sent.status[i] === 202);
  const statuses: Record<string, number> = {};
  for (const x of sent.status) statuses[x] = (statuses[x] ?? 0) + 1;
  const processed = await processedDeliveries(bench.client, bench.prefix);
  const missing = accepted.filter((d) => !processed.has(d));
  const twice = accepted.filter((d) => (processed.get(d) ?? 0) > 1);

  const list = await bench.web.admin<{ majorIncidents: Array<{ id: string; serviceId: string }> }>(
    'GET',
    '/admin/major-incidents?service=payroll&limit=100',
  );
  const mis = list.body.majorIncidents;
  let children = 0;
  let distinctChildren = 0;
  let timeline = { entries: 0, bytes: 0 };
  if (mis[0]) {
    const one = await bench.web.admin<{ children: Array<{ incidentKey?: string; recordId?: string }> }>(
      'GET',
      `/admin/major-incidents/${mis[0].id}`,
    );
    children = one.body.children.length;
    timeline = {
      entries: await bench.client.llen(`${bench.prefix}:mi:${mis[0].id}:timeline`),
      bytes: Number((await bench.client.memory('USAGE', `${bench.prefix}:mi:${mis[0].id}:timeline`)) ?? 0),
    };
    distinctChildren = new Set(one.body.children.map((c) => JSON.stringify(c.incidentKey ?? c.recordId ?? c))).size;
  }
  const jiraIssues = s.jira.requests
    .slice(mark.jira)
    .filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue' && (r.status ?? 0) < 300).length;
  // Pages on the service's routing key; the escalation key is paged again when nobody acknowledges within the tier's
  // ackTimeout (5 min for tier 1).
  const triggers = s.pagerduty.requests
    .slice(mark.pd)
    .filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v2/enqueue' &&
        (r.body as { event_action?: string })?.event_action === 'trigger',
    );
  const keyOf = (r: { body: unknown }) => (r.body as { routing_key?: string }).routing_key;
  const pdTriggers = triggers.filter((r) => keyOf(r) === s.routingKeys.MIM_ROUTE_PAGERDUTY_PAYROLL).length;
  const pdEscalations = triggers.filter((r) => keyOf(r) === s.routingKeys.MIM_ROUTE_PAGERDUTY_MIM).length;
  const pdOther = triggers.length - pdTriggers - pdEscalations;
  const perChannel: Record<string, number> = {};
  for (const r of s.slack.requests.slice(mark.slack))
    if (r.path === '/api/chat.postMessage') {
      const c = `slack:${(r.body as { channel?: string }).channel}`;
      perChannel[c] = (perChannel[c] ?? 0) + 1;
    }
  for (const r of s.teams.requests.slice(mark.teams))
    if (r.method === 'POST') {
      const c = `teams:${r.path.split('/')[2]}`;
      perChannel[c] = (perChannel[c] ?? 0) + 1;
    }
  for (const m of s.email.messages.slice(mark.email))
    for (const to of m.envelope.to) {
      const c = `email:${to}`;
      perChannel[c] = (perChannel[c] ?? 0) + 1;
    }

  const violations: string[] = [];
  if (mis.length !== 1) violations.push(`${mis.length} major incidents for payroll (want 1)`);
  if (jiraIssues !== 1) violations.push(`${jiraIssues} Jira issues created (want 1)`);
  if (pdTriggers !== 1) violations.push(`${pdTriggers} PagerDuty triggers on the Payroll routing key (want 1)`);
  if (pdOther) violations.push(`${pdOther} PagerDuty triggers on another routing key`);
  const expectedChannels = [
    'slack:payroll-status',
    'slack:service-desk',
    'slack:major-incident-bridge',
    'teams:MIM_ROUTE_TEAMS_FINANCE',
    'email:payroll-admins@example.edu',
    'email:finance-leadership@example.edu',
    'email:it-leadership@example.edu',
  ];
  for (const c of expectedChannels)
    if (!Object.keys(perChannel).some((k) => k.replace('#', '') === c)) violations.push(`no announcement on ${c}`);
  // Audience channels only: the Major Incident Manager's mail is the escalation notice (one per unacknowledged
  // ackTimeout).
  for (const [c, n] of Object.entries(perChannel))
    if (n !== 1 && expectedChannels.includes(c.replace('#', '')))
      violations.push(`${n} announcements on ${c} (want 1)`);
  if (children !== accepted.length) violations.push(`${children} children attached (want ${accepted.length})`);
  if (distinctChildren !== children) violations.push(`${children - distinctChildren} duplicate children`);
  if (accepted.length !== opts.count)
    violations.push(`${opts.count - accepted.length} webhooks not accepted (${JSON.stringify(statuses)})`);
  if (missing.length)
    violations.push(
      `${missing.length} accepted events not processed (yet) at the end (e.g. ${missing.slice(0, 3).join(', ')})`,
    );
  if (twice.length)
    violations.push(`${twice.length} events processed more than once (e.g. ${twice.slice(0, 3).join(', ')})`);
  if (drainMs === undefined) violations.push('events backlog not drained in time');

  return {
    count: opts.count,
    seconds: opts.seconds,
    statuses,
    achievedRate: Math.round(opts.count / ((sent.endedAt - sent.startedAt) / 1000)),
    sendMs,
    backlog: {
      drainedMsFromFirstSend: drainMs ?? 'not drained',
      drainedMsAfterLastSend: drainedAfter ?? 'not drained',
      maxEventsWaiting: Math.max(0, ...samples.queues.map((q) => q.events.waiting)),
      throughputPerS: drainMs ? Math.round(accepted.length / (drainMs / 1000)) : undefined,
      actionsWaitingAtEnd: final.actions,
    },
    majorIncidents: mis.length,
    timeline,
    eventsWaitingEvery10s: samples.queues.filter((_, i) => i % 10 === 0).map((q) => q.events.waiting),
    jiraIssues,
    pdTriggers,
    pdEscalations,
    announcements: perChannel,
    children,
    processing: {
      accepted: accepted.length,
      processed: accepted.filter((d) => processed.has(d)).length,
      missing: missing.length,
      processedTwice: twice.length,
    },
    memory: samples.peaks(),
    violations,
  };
}
