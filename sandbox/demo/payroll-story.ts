import type { Issue } from '../jira/model.ts';
import type { Sandbox } from '../index.ts';
import { observeAll, type Expectation } from './observe.ts';
import type { Step, StoryContext } from './story.ts';
import {
  announcementOf,
  emailsTo,
  hasEntry,
  majorIncidents,
  miDetail,
  short,
  slackTexts,
  statusTitles,
  teamsCards,
} from './views.ts';
import { waitFor } from './wait-for.ts';

/**
 * The demo's story with the shipped config: a payroll outage storm in ServiceNow becomes one
 * major incident, mim-bridge mobilises everyone, people work it in their own tools, and the
 * resolution in ServiceNow closes everything. Each step acts as a person would (through the
 * simulators' person helpers, so the webhooks are the vendors' own) and then waits for what
 * mim-bridge should have done, in the simulators' state and in GET /admin/major-incidents/:id.
 */

export const STORM_SIZE = 5;
export const ON_CALL = 'Dana Okafor (on call)';
export const ENGINEER = 'Priya Raman';
export const COMMS_LEAD = 'beth.anglin';

/** Where the payroll audiences (audiences.yaml) are told. */
export const PAYROLL_CHANNELS = {
  slack: ['#payroll-status', '#service-desk', '#major-incident-bridge'],
  teams: ['MIM_ROUTE_TEAMS_FINANCE'],
  email: ['payroll-admins@example.edu', 'finance-leadership@example.edu', 'it-leadership@example.edu'],
} as const;

const STORM = [
  { caller: 'Abel Tuter', as: 'abel.tuter', text: 'Cannot submit timesheets in payroll' },
  { caller: 'Beth Anglin', as: 'beth.anglin', text: 'Payslips page times out' },
  { caller: 'Fred Luddy', as: 'fred.luddy', text: 'Payroll export job failed overnight' },
  { caller: 'Abel Tuter', as: 'abel.tuter', text: 'Payroll approvals screen is blank' },
  { caller: 'Fred Luddy', as: 'fred.luddy', text: 'Payroll portal returns HTTP 503 for all staff' },
  { caller: 'Beth Anglin', as: 'beth.anglin', text: 'Payroll login spins forever' },
];

export const jiraIssueOf = (sandbox: Sandbox, miId: string): Issue | undefined =>
  sandbox.jira.issues().find((i) => i.labels.includes(`mim-${miId}`));
const statusCategory = (issue: Issue | undefined) =>
  issue ? { '10000': 'new', '3': 'indeterminate', '10001': 'done' }[issue.status] : undefined;
const mi = (ctx: StoryContext) => {
  if (!ctx.state.mi) throw new Error('no major incident yet (an earlier step did not finish)');
  return ctx.state.mi;
};

/** Every audience channel of the payroll service shows a text matching `match`. */
function audienceExpectations(ctx: StoryContext, label: string, match: (text: string) => boolean): Expectation[] {
  const { sandbox } = ctx;
  return [
    ...PAYROLL_CHANNELS.slack.map(
      (c): Expectation => ({
        system: 'Slack',
        what: `${label} in ${c}`,
        probe: () => {
          const t = slackTexts(sandbox, c).find(match);
          return t ? `${c}: "${short(t)}"` : undefined;
        },
      }),
    ),
    ...PAYROLL_CHANNELS.teams.map(
      (w): Expectation => ({
        system: 'Teams',
        what: `${label} card on ${w}`,
        probe: () => {
          const c = teamsCards(sandbox, w).find((x) => match(JSON.stringify(x.card)));
          return c ? `card on the finance leadership channel (${w})` : undefined;
        },
      }),
    ),
    ...PAYROLL_CHANNELS.email.map(
      (a): Expectation => ({
        system: 'email',
        what: `${label} to ${a}`,
        probe: () => {
          const m = emailsTo(sandbox, a).find((x) => match(`${x.subject ?? ''}\n${x.text ?? ''}`));
          return m ? `to ${a}: "${short(m.subject ?? '')}"` : undefined;
        },
      }),
    ),
  ];
}

export const payrollStory: readonly Step[] = [
  {
    title: `A payroll outage storm arrives as ServiceNow incidents (${STORM_SIZE} within the 10-minute window)`,
    limitMs: 10_000,
    async run(ctx) {
      const { servicenow } = ctx.sandbox;
      for (const s of STORM.slice(0, STORM_SIZE)) {
        const r = servicenow.act({ as: s.as }).create({
          short_description: s.text,
          description: `${s.text}. Reported by ${s.caller}.`,
          business_service: 'Payroll',
          cmdb_ci: 'payroll-app01',
          assignment_group: 'Service Desk',
          caller_id: s.caller,
          impact: '2',
          urgency: '2',
          contact_type: 'phone',
        });
        ctx.state.records.push(r.sys_id ?? '');
        ctx.timeline.saw('ServiceNow', `${r.number} "${s.text}" (P${r.priority}) logged by ${s.as}`);
        await new Promise((res) => setTimeout(res, 150));
      }
      await waitFor(
        "the business rule's webhooks accepted by mim-bridge",
        5_000,
        () => servicenow.deliveries.filter((d) => d.ok).length >= STORM_SIZE,
      );
      return `${STORM_SIZE} incidents logged; their webhooks were accepted (202) by mim-bridge`;
    },
  },
  {
    title: 'The rules declare one major incident',
    limitMs: 10_000,
    async run(ctx) {
      const found = await waitFor('a declared payroll major incident', 10_000, async (seen) => {
        const all = await majorIncidents(ctx.service, 'payroll');
        seen(all.map((m) => `${m.id}:${m.state}`).join(', ') || 'none');
        return all.find((m) => m.state === 'declared');
      });
      ctx.state.mi = found;
      const origin = ctx.sandbox.servicenow.record(found.origin.recordId);
      ctx.state.originSysId = found.origin.recordId;
      const declared = (await miDetail(ctx.service, found.id))?.timeline.find(
        (e) => e.kind === 'state.changed' && e.detail.to === 'declared',
      );
      ctx.timeline.saw(
        'mim-bridge',
        `${found.id} (P${found.priority ?? '?'}) declared by ${found.declaredBy?.type ?? 'rule'} ` +
          `"${found.declaredBy?.id ?? declared?.actor.id ?? '?'}": "${short(found.title)}"`,
      );
      // A storm of P3s is still one major incident: P1, the tier's priority (rules.yaml tiers.<n>.priority).
      if (found.priority !== 1) throw new Error(`the major incident is P${found.priority ?? '?'}, not P1`);
      // One more caller after the declaration: attached to the major incident, not a second one.
      const late = STORM[STORM_SIZE]!;
      const sixth = ctx.sandbox.servicenow.act({ as: late.as }).create({
        short_description: late.text,
        business_service: 'Payroll',
        cmdb_ci: 'payroll-app01',
        assignment_group: 'Service Desk',
        caller_id: late.caller,
        impact: '2',
        urgency: '2',
      });
      ctx.state.records.push(sixth.sys_id ?? '');
      ctx.timeline.saw('ServiceNow', `${sixth.number} "${late.text}" (P${sixth.priority}) logged by ${late.as}`);
      await observeAll(ctx.timeline, 8_000, [
        {
          system: 'ServiceNow',
          what: `${origin?.number} major_incident_state=accepted at P1`,
          probe: () => {
            const r = ctx.sandbox.servicenow.record(found.origin.recordId);
            return r?.major_incident_state === 'accepted' && r.priority === '1'
              ? `${origin?.number} major_incident_state = accepted, priority ${r.priority} ` +
                  `(impact ${r.impact} × urgency ${r.urgency}; the origin)`
              : undefined;
          },
        },
        {
          system: 'mim-bridge',
          what: `${sixth.number} attached as a child`,
          probe: async () => {
            const d = await miDetail(ctx.service, found.id);
            return d?.children.some((c) => c.recordId === sixth.sys_id)
              ? `${sixth.number} attached to ${found.id} as a child`
              : undefined;
          },
        },
        {
          system: 'ServiceNow',
          what: `${sixth.number} parent_incident = the origin`,
          probe: () =>
            ctx.sandbox.servicenow.record(sixth.sys_id ?? '')?.parent_incident === found.origin.recordId
              ? `${sixth.number} parent_incident = ${origin?.number}`
              : undefined,
        },
      ]);
      const all = await majorIncidents(ctx.service, 'payroll');
      if (all.length !== 1) throw new Error(`expected one payroll major incident, found ${all.length}`);
      return `one major incident for ${STORM_SIZE + 1} incidents`;
    },
  },
  {
    title: 'The Jira ticket, the page and the audience messages go out',
    limitMs: 20_000,
    async run(ctx) {
      const { id } = mi(ctx);
      const { sandbox } = ctx;
      await observeAll(ctx.timeline, 20_000, [
        {
          system: 'ServiceNow',
          what: 'the Service Portal announcement for the payroll users',
          probe: () => {
            const a = announcementOf(sandbox, id, 'payroll-users');
            return a ? `announcement "${short(a.title ?? '')}" on the Service Portal (Urgent style)` : undefined;
          },
        },
        {
          system: 'status page',
          what: 'the major incident on the public status feed',
          probe: async () => {
            const titles = await statusTitles(ctx.service);
            return titles?.length === 1 ? `${ctx.service.url}/status shows "${short(titles[0]!)}"` : undefined;
          },
        },
        {
          system: 'Jira',
          what: `an issue labelled mim-${id}`,
          probe: () => {
            const i = jiraIssueOf(sandbox, id);
            if (i) ctx.state.jiraKey = i.key;
            return i?.priority === 'Highest'
              ? `${i.key} "${short(i.summary)}" (${i.priority}) in ${i.project.key}`
              : undefined;
          },
        },
        {
          system: 'Jira',
          what: 'the remote link back to ServiceNow',
          probe: () => {
            const i = jiraIssueOf(sandbox, id);
            return i?.remoteLinks.length ? `${i.key} links to the ServiceNow record` : undefined;
          },
        },
        {
          system: 'PagerDuty',
          what: `an incident with dedup_key ${id}`,
          probe: () => {
            const p = sandbox.pagerduty.incident(id);
            return p ? `incident ${p.id} triggered on "${p.serviceName}" (${p.status})` : undefined;
          },
        },
        ...audienceExpectations(ctx, 'the declaration at P1', (t) => /major incident/i.test(t) && /\bP1\b/.test(t)),
      ]);
      return (
        `1 Jira issue, 1 page, messages on ${PAYROLL_CHANNELS.slack.length} Slack channels, ` +
        `${PAYROLL_CHANNELS.teams.length} Teams channel and ${PAYROLL_CHANNELS.email.length} mailing lists`
      );
    },
  },
  {
    title: 'The on-call engineer acknowledges the page in PagerDuty',
    limitMs: 10_000,
    async run(ctx) {
      const { id } = mi(ctx);
      const delivery = await ctx.sandbox.pagerduty.acknowledge(id, { as: ON_CALL });
      if (!delivery)
        throw new Error('PagerDuty had nothing to acknowledge (no open incident, or no webhook subscription)');
      ctx.timeline.saw(
        'PagerDuty',
        `${ON_CALL} acknowledged; signed incident.acknowledged webhook answered ${delivery.status ?? '?'}`,
      );
      await observeAll(ctx.timeline, 8_000, [
        {
          system: 'mim-bridge',
          what: 'page.acknowledged on the timeline',
          probe: async () =>
            hasEntry(await miDetail(ctx.service, id), 'page.acknowledged')
              ? "the acknowledgement is on the major incident's timeline"
              : undefined,
        },
      ]);
      return 'page acknowledged';
    },
  },
  {
    title: 'An engineer comments in Jira; the comment reaches the ServiceNow work notes',
    limitMs: 15_000,
    async run(ctx) {
      const key = ctx.state.jiraKey ?? jiraIssueOf(ctx.sandbox, mi(ctx).id)?.key;
      if (!key) throw new Error('no Jira issue');
      const text =
        'Root cause: the payroll DB connection pool is exhausted after the 02:00 patch; rolling back payroll-app01.';
      ctx.state.notes.engineer = text;
      ctx.sandbox.jira.act({ as: ENGINEER }).comment(key, text, { internal: true });
      ctx.timeline.saw('Jira', `${ENGINEER} added an internal comment on ${key}: "${short(text)}"`);
      const origin = ctx.state.originSysId ?? '';
      await observeAll(ctx.timeline, 12_000, [
        {
          system: 'ServiceNow',
          what: 'the comment as a work note on the origin',
          probe: () => {
            const e = ctx.sandbox.servicenow.journal(origin).find((j) => j.text.includes(text));
            return e
              ? `work note (${e.field === 'work_notes' ? 'internal' : 'PUBLIC!'}) by ${e.author}: "${short(e.text)}"`
              : undefined;
          },
        },
      ]);
      const leaked = ctx.sandbox.servicenow
        .journal(origin)
        .find((j) => j.field === 'comments' && j.text.includes(text));
      if (leaked) throw new Error('the internal Jira comment became a public ServiceNow comment');
      return 'synced as an internal work note (visibility kept)';
    },
  },
  {
    title: 'The comms lead writes a public update in ServiceNow; the cadence update goes out',
    limitMs: 20_000,
    async run(ctx) {
      const { id } = mi(ctx);
      const text = 'Payroll is degraded: a fix is rolling out, next update in 30 minutes. Payslips are not affected.';
      ctx.state.notes.update = text;
      ctx.sandbox.servicenow.act({ as: COMMS_LEAD }).comment(ctx.state.originSysId ?? '', text);
      ctx.timeline.saw('ServiceNow', `${COMMS_LEAD} added a public comment: "${short(text)}"`);
      const needle = text.slice(0, 40);
      await observeAll(ctx.timeline, 18_000, [
        {
          system: 'mim-bridge',
          what: 'a cadence tick with autoPost',
          probe: async () => {
            const d = await miDetail(ctx.service, id);
            const tick = d?.timeline.findLast((e) => e.kind === 'cadence.tick');
            return tick ? `cadence tick ${String(tick.detail.n)} (autoPost)` : undefined;
          },
        },
        ...audienceExpectations(
          ctx,
          'the update',
          (t) => t.includes(needle) || t.includes(JSON.stringify(needle).slice(1, -1)),
        ),
      ]);
      return 'the latest public update reached every audience';
    },
  },
  {
    title: 'The incident is resolved in ServiceNow, and everything closes',
    limitMs: 20_000,
    async run(ctx) {
      const { id } = mi(ctx);
      const { sandbox } = ctx;
      sandbox.servicenow.act({ as: COMMS_LEAD }).update(ctx.state.originSysId ?? '', {
        state: '6',
        close_code: 'Solution provided',
        close_notes: 'Rolled back the 02:00 patch on payroll-app01; connection pool healthy.',
      });
      ctx.timeline.saw(
        'ServiceNow',
        `${COMMS_LEAD} resolved the origin incident (state Resolved, close code "Solution provided")`,
      );
      await observeAll(ctx.timeline, 18_000, [
        {
          system: 'mim-bridge',
          what: 'the major incident resolved',
          probe: async () => {
            const d = await miDetail(ctx.service, id);
            return d?.majorIncident.state === 'resolved' ? `${id} resolved` : undefined;
          },
        },
        {
          system: 'PagerDuty',
          what: 'the page resolved',
          probe: () => (sandbox.pagerduty.incident(id)?.status === 'resolved' ? 'incident resolved' : undefined),
        },
        {
          system: 'Jira',
          what: 'the issue Done',
          probe: () => {
            const i = jiraIssueOf(sandbox, id);
            return statusCategory(i) === 'done' ? `${i?.key} moved to Done` : undefined;
          },
        },
        {
          system: 'ServiceNow',
          what: 'the announcement retired with a final message',
          probe: () => {
            const a = announcementOf(sandbox, id, 'payroll-users');
            return a?.title?.startsWith('Resolved:') && a.to
              ? `announcement now "${short(a.title)}", shown until ${a.to} UTC`
              : undefined;
          },
        },
        ...audienceExpectations(ctx, 'the resolution', (t) => /Resolved:|Service was restored/.test(t)),
      ]);
      return 'page resolved, Jira issue done, announcement retired, everyone told';
    },
  },
];
