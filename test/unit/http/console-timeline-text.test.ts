import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  describeEntry,
  entryText,
  KNOWN_KINDS,
  safeUrl,
  vendorLinks,
  // @ts-expect-error: the console's browser modules are plain JavaScript without declarations
} from '../../../src/http/console/static/views/timeline-text.js';
import { TIMER_ENTRY } from '../../../src/process/timers-plan.ts';
import { MEASURE_RECORDED } from '../../../src/process/record-measures.ts';
import { SCORECARD_ENTRY } from '../../../src/process/scorecard.ts';

/**
 * The console's words for every timeline entry kind the service writes: one realistic entry per
 * kind (the detail shapes of the code that writes them), its sentence, milestone, system and
 * whether it is an error or a machine event; and a scan of src/ so a new kind cannot ship without
 * its sentence.
 */
const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const AT = '2026-03-02T09:05:00.000Z';
const SN = { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' };
const entry = (kind: string, detail: Record<string, unknown>, actor = { type: 'system', id: 'test' }) => ({
  at: AT,
  kind,
  actor,
  detail,
});

interface Expected {
  text: string;
  milestone?: string;
  error?: boolean;
  machine?: boolean;
  system: string;
}

const CASES: Array<[string, ReturnType<typeof entry>, Expected]> = [
  [
    'declared by a rule',
    entry('state.changed', { from: 'none', to: 'declared', trigger: 'rule.declare' }, { type: 'rule', id: 'p1' }),
    { text: 'Declared a major incident (by a rule)', milestone: 'declared', system: 'mim-bridge' },
  ],
  [
    'a candidate accepted',
    entry('state.changed', { from: 'candidate', to: 'declared', trigger: 'source.major_accepted', record: SN }),
    {
      text: 'Declared: the candidate was accepted (accepted in ServiceNow)',
      milestone: 'declared',
      system: 'servicenow',
    },
  ],
  [
    'a re-open',
    entry('state.changed', { from: 'resolved', to: 'declared', trigger: 'source.reopened', record: SN }),
    {
      text: 'Re-opened: declared again after being resolved (the source record was re-opened)',
      milestone: 're-opened',
      system: 'servicenow',
    },
  ],
  [
    'resolved by hand',
    entry('state.changed', { from: 'declared', to: 'resolved', trigger: 'manual.resolve', reason: 'fixed' }),
    { text: 'Resolved (by hand; fixed)', milestone: 'resolved', system: 'mim-bridge' },
  ],
  [
    'closed',
    entry('state.changed', { from: 'resolved', to: 'closed', trigger: 'source.closed', record: SN }),
    { text: 'Closed (the source record was closed)', milestone: 'closed', system: 'servicenow' },
  ],
  [
    'proposed',
    entry('state.changed', { from: 'none', to: 'candidate', trigger: 'rule.propose', relatedTo: 'MI-OLD' }),
    { text: 'Proposed as a candidate major incident (by a rule; follows MI-OLD)', system: 'mim-bridge' },
  ],
  [
    'rules',
    entry('rules.evaluated', { decision: 'declare', record: SN, results: [] }, { type: 'rule', id: 'p1-on-tier-1' }),
    { text: 'Rules evaluated ServiceNow INC0010001: declare (rule p1-on-tier-1)', machine: true, system: 'mim-bridge' },
  ],
  [
    'planned actions',
    entry('actions.planned', { effects: ['declare'], actions: [{ do: 'a' }, { do: 'b' }] }),
    { text: 'Planned 2 action(s) for declare', machine: true, system: 'mim-bridge' },
  ],
  [
    'roles from the catalogue',
    entry('roles.assigned', { roles: { majorIncidentManager: 'mim@example.edu', commsLead: 'comms@example.edu' } }),
    {
      text: 'Roles from the service catalogue: manager mim@example.edu, comms lead comms@example.edu',
      system: 'mim-bridge',
    },
  ],
  [
    'roles changed by a person',
    entry(
      'roles.changed',
      { from: { commsLead: null }, to: { commsLead: 'bob@example.edu' }, by: 'alice', reason: 'shift change' },
      { type: 'person', id: 'alice' },
    ),
    { text: 'Roles changed by alice: comms lead (none) → bob@example.edu (shift change)', system: 'mim-bridge' },
  ],
  [
    'roles changed in ServiceNow',
    entry(
      'roles.changed',
      {
        from: { resolverGroup: 'Payroll L2' },
        to: { resolverGroup: 'Payroll L3' },
        by: 'servicenow:jdoe',
        field: 'assignment_group',
        record: SN,
      },
      { type: 'source', id: 'servicenow:jdoe' },
    ),
    {
      text: 'Roles changed by servicenow:jdoe in ServiceNow INC0010001: resolver group Payroll L2 → Payroll L3',
      system: 'servicenow',
    },
  ],
  [
    'audiences',
    entry('audiences.changed', { add: ['finance'], remove: ['hr'], by: 'alice' }, { type: 'person', id: 'alice' }),
    { text: 'Audiences changed by alice: added finance; removed hr', system: 'mim-bridge' },
  ],
  [
    'a child',
    entry('child.attached', { child: { source: 'servicenow', recordId: 'b'.repeat(32), number: 'INC0010002' } }),
    { text: 'Attached ServiceNow INC0010002', system: 'servicenow' },
  ],
  [
    'a refused move',
    entry('transition.refused', { trigger: 'source.resolved', from: 'candidate', reason: 'not declared yet' }),
    {
      text: 'Refused: the source record was resolved while candidate: not declared yet',
      error: true,
      system: 'mim-bridge',
    },
  ],
  [
    'a synced field',
    entry(
      'field.synced',
      { field: 'priority', record: { source: 'jira', recordId: '10042', number: 'PAY-42' }, from: 2, to: 1 },
      { type: 'source', id: 'jira:bob' },
    ),
    { text: 'priority synced from Jira PAY-42: 2 → 1', system: 'jira' },
  ],
  [
    'a conflict',
    entry(
      'sync.conflict',
      { field: 'priority', record: SN, value: 3, kept: 1, owner: 'jira', reason: 'jira owns priority' },
      { type: 'source', id: 'servicenow:jdoe' },
    ),
    {
      text: 'Conflict on priority: ServiceNow INC0010001 set 3, 1 kept (jira owns priority)',
      error: true,
      system: 'servicenow',
    },
  ],
  [
    'priority raised',
    entry('priority.raised', { from: 2, to: 1, child: { source: 'servicenow', recordId: 'c', number: 'INC3' } }),
    { text: 'Priority raised P2 → P1 by ServiceNow INC3', system: 'servicenow' },
  ],
  [
    'an update',
    entry('update.posted', { text: 'Payroll is back for most staff.', actions: 4 }, { type: 'person', id: 'carol' }),
    {
      text: 'Update posted by carol: "Payroll is back for most staff."',
      milestone: 'update sent',
      system: 'mim-bridge',
    },
  ],
  [
    'a page',
    entry('page.triggered', { incidentId: 'PD123', status: 'triggered' }, { type: 'source', id: 'pagerduty:unknown' }),
    { text: 'Page triggered in PagerDuty (PD123)', system: 'pagerduty' },
  ],
  [
    'an acknowledgement',
    entry('page.acknowledged', { incidentId: 'PD123' }, { type: 'source', id: 'pagerduty:Dana Oncall' }),
    { text: 'Page acknowledged by Dana Oncall', milestone: 'acknowledged', system: 'pagerduty' },
  ],
  [
    'an un-acknowledgement',
    entry('page.unacknowledged', { incidentId: 'PD123' }, { type: 'source', id: 'pagerduty:timeout' }),
    { text: 'Page no longer acknowledged (timeout)', system: 'pagerduty' },
  ],
  [
    "PagerDuty's escalation",
    entry('page.escalated', { incidentId: 'PD123' }, { type: 'source', id: 'pagerduty:policy' }),
    { text: 'PagerDuty escalated the page (policy)', milestone: 'escalated', system: 'pagerduty' },
  ],
  [
    'a resolved escalation page',
    entry('page.resolved', { incidentId: 'PD9', escalationPage: 'MI-1-esc1' }, { type: 'source', id: 'pagerduty:x' }),
    { text: 'Escalation page resolved in PagerDuty', system: 'pagerduty' },
  ],
  [
    'a re-opened page',
    entry('page.reopened', { incidentId: 'PD123' }, { type: 'source', id: 'pagerduty:x' }),
    { text: 'Page re-opened in PagerDuty', system: 'pagerduty' },
  ],
  [
    'our escalation',
    entry(TIMER_ENTRY.ack, {
      n: 1,
      unacknowledgedForMs: 300_000,
      notified: 'mim@example.edu',
      paged: 'escalation routing key',
    }),
    {
      text: 'Not acknowledged after 5 min: escalation #1 paged the escalation routing key, and emailed mim@example.edu',
      milestone: 'escalated',
      system: 'mim-bridge',
    },
  ],
  [
    'the 15-minute check, unmet',
    entry(TIMER_ENTRY.mobilise, { met: false, unmet: ['bridge', 'first-update'], notified: 'mim@example.edu' }),
    {
      text: '15-minute check: not done: bridge, first-update; emailed mim@example.edu',
      error: true,
      system: 'mim-bridge',
    },
  ],
  [
    'the 15-minute check, met',
    entry(TIMER_ENTRY.mobilise, { met: true, unmet: [], notified: null }),
    { text: '15-minute check: every mobilisation item is done', system: 'mim-bridge' },
  ],
  [
    'an overdue update',
    entry(TIMER_ENTRY.cadence, { n: 2, overdue: true, autoPost: false, reminded: 'comms@example.edu' }),
    {
      text: 'Update #2 due: OVERDUE, no update went out in the interval; reminded comms@example.edu',
      error: true,
      system: 'mim-bridge',
    },
  ],
  [
    'an update on time',
    entry(TIMER_ENTRY.cadence, { n: 1, overdue: false, autoPost: true }),
    { text: 'Update #1 due: an update went out; the latest update was sent automatically', system: 'mim-bridge' },
  ],
  [
    'the PIR scheduled',
    entry('pir.scheduled', { dueAt: '2026-03-07T11:00:00.000Z', owner: 'owner@example.edu' }),
    { text: 'Post-incident review due 2026-03-07, owner owner@example.edu', milestone: 'PIR', system: 'mim-bridge' },
  ],
  [
    'the PIR overdue',
    entry(TIMER_ENTRY.pir, { dueAt: '2026-03-07T11:00:00.000Z', owner: 'owner@example.edu', pir: 'PAY-99' }),
    {
      text: 'Post-incident review overdue (PAY-99): reminded owner@example.edu',
      milestone: 'PIR',
      system: 'mim-bridge',
    },
  ],
  [
    'the PIR done',
    entry('pir.completed', { pir: 'PAY-99', completedAt: AT }, { type: 'source', id: 'jira:bob' }),
    { text: 'Post-incident review PAY-99 done', milestone: 'PIR', system: 'jira' },
  ],
  [
    'a drill scorecard',
    entry(SCORECARD_ENTRY, {
      met: false,
      acknowledge: { met: true, text: '2m (target 5m)' },
      mobilise: { met: false, text: 'never (target 15m)' },
      firstCommunication: { met: true, text: '4m (target 15m)' },
      updates: [{ n: 1 }, { n: 2 }],
      cadence: { deadlines: 3, missed: 1 },
      checklistMissed: [{ label: 'Resolver group assigned' }],
    }),
    {
      text:
        'Drill scorecard: targets missed; acknowledge 2m (target 5m) ✓ met; mobilise never (target 15m) ✗ missed; ' +
        'first communication 4m (target 15m) ✓ met; updates 2, 1 of 3 update deadlines missed; checklist missed: ' +
        'Resolver group assigned',
      milestone: 'drill scored',
      system: 'mim-bridge',
    },
  ],
  [
    'a measure',
    entry(MEASURE_RECORDED, { measure: 'timeToAcknowledge', ms: 240_000, text: '4 min' }),
    { text: 'Measure time to acknowledge: 4 min', machine: true, system: 'mim-bridge' },
  ],
  [
    'a Slack message sent',
    entry(
      'action.completed',
      { do: 'notify', channel: '#payroll-status', template: 'update', register: 'business', ts: '1.2' },
      { type: 'system', id: 'slack' },
    ),
    { text: 'Slack: notify done · "update" to #payroll-status', machine: true, system: 'slack' },
  ],
  [
    'an email sent',
    entry(
      'action.completed',
      { do: 'notify', channel: 'a@x,b@x', to: 2, template: 'declared', messageId: '<m>' },
      { type: 'system', id: 'email' },
    ),
    { text: 'Email: notify done · "declared" to a@x,b@x to 2 addresses', machine: true, system: 'email' },
  ],
  [
    'a skipped action',
    entry(
      'action.completed',
      { do: 'jira.create', skipped: 'service payroll names no Jira project' },
      {
        type: 'system',
        id: 'jira',
      },
    ),
    { text: 'Jira: jira.create skipped (service payroll names no Jira project)', machine: true, system: 'jira' },
  ],
  [
    'a dead letter',
    entry(
      'action.dead_lettered',
      { do: 'notify', jobId: 'j1', code: 'SLACK_CHANNEL_NOT_FOUND', detail: 'channel_not_found' },
      { type: 'system', id: 'slack' },
    ),
    {
      text: 'Slack: notify failed for good (SLACK_CHANNEL_NOT_FOUND): channel_not_found',
      error: true,
      system: 'slack',
    },
  ],
  [
    'a discard',
    entry(
      'action.discarded',
      { do: 'notify', target: 'slack', jobId: 'j1', code: 'SLACK_CHANNEL_NOT_FOUND', reason: 'channel renamed' },
      { type: 'person', id: 'alice' },
    ),
    { text: 'Slack: notify (SLACK_CHANNEL_NOT_FOUND) discarded by alice: channel renamed', system: 'slack' },
  ],
];

describe('the sentence of each timeline entry kind', () => {
  it.each(CASES)('%s', (_name, e, expected) => {
    expect(describeEntry(e)).toEqual({
      milestone: undefined,
      error: false,
      machine: false,
      ...expected,
    });
  });

  it('covers every kind of KNOWN_KINDS with a case above', () => {
    expect(KNOWN_KINDS.filter((k: string) => !CASES.some(([, e]) => e.kind === k))).toEqual([]);
  });

  it('reads an unknown kind as its fields, and hostile values stay text', () => {
    expect(entryText(entry('something.new', { a: 1, b: { c: 2 } }))).toBe('something.new: a 1, b {"c":2}');
    expect(entryText(entry('__proto__', {}))).toBe('__proto__');
    expect(
      entryText(entry('update.posted', { text: '<img src=x onerror=alert(1)>' }, { type: 'person', id: 'x' })),
    ).toBe('Update posted by x: "<img src=x onerror=alert(1)>"');
  });
});

/** Every timeline kind a file in src/ writes: literal kinds, the timer entries, PagerDuty's recorded page events. */
function kindsWrittenInSrc(): Set<string> {
  const found = new Set<string>([...Object.values(TIMER_ENTRY), MEASURE_RECORDED, SCORECARD_ENTRY]);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
    );
  for (const file of walk(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!/timelineEntry\(|appendTimeline|record\.timeline\(|\.timeline\(/.test(text)) continue;
    for (const re of [
      /kind: '([a-z]+\.[a-z_.]+)'/g,
      /entry\(\s*(?:ctx|d|f),\s*'([a-z]+\.[a-z_.]+)'/g,
      /\.timeline\([^,()]+,\s*'([a-z]+\.[a-z_.]+)'/g,
    ])
      for (const m of text.matchAll(re)) found.add(m[1]!);
  }
  const pageEvents = readFileSync(path.join(SRC, 'orchestrator/page-events.ts'), 'utf8');
  for (const m of pageEvents.matchAll(/'(page\.[a-z]+)'/g)) found.add(m[1]!);
  return found;
}

describe('every kind the service writes has its sentence', () => {
  it('finds the kinds in src/ (the scan itself works)', () => {
    const kinds = kindsWrittenInSrc();
    for (const k of ['state.changed', 'action.dead_lettered', 'page.acknowledged', 'escalation.ack', 'pir.completed'])
      expect(kinds).toContain(k);
  });

  it('has none without a sentence', () => {
    // `incident.updated` is an IncidentEvent kind (connectors/jira/reconcile-event.ts), not a timeline entry.
    const missing = [...kindsWrittenInSrc()].filter((k) => !KNOWN_KINDS.includes(k) && k !== 'incident.updated');
    expect(missing).toEqual([]);
  });
});

describe('vendor ids as links', () => {
  const mi = {
    origin: SN,
    links: { jira: { key: 'PAY-42' }, pir: { key: 'PAY-99' }, pagerduty: { dedupKey: 'MI-1', incidentId: 'PD123' } },
  };
  const urls = {
    servicenow: `https://sn.example/incident.do?sys_id=${'a'.repeat(32)}`,
    jira: 'https://jira.example/browse/PAY-42',
    pir: 'https://jira.example/browse/PAY-99',
    pagerduty: 'https://pd.example/incidents/PD123',
  };

  it('links the records, issues and incidents the detail has URLs for', () => {
    const ctx = { urls, majorIncident: mi };
    expect(vendorLinks(entry('state.changed', { record: SN }), ctx)).toEqual([
      { label: 'ServiceNow INC0010001', href: urls.servicenow },
    ]);
    expect(
      vendorLinks(
        entry('child.attached', { child: { source: 'servicenow', recordId: 'b'.repeat(32), number: 'INC2' } }),
        ctx,
      ),
    ).toEqual([{ label: 'ServiceNow INC2', href: `https://sn.example/incident.do?sys_id=${'b'.repeat(32)}` }]);
    expect(vendorLinks(entry('action.completed', { do: 'jira.comment', key: 'PAY-42' }), ctx)).toEqual([
      { label: 'PAY-42', href: urls.jira },
    ]);
    expect(vendorLinks(entry('pir.completed', { pir: 'PAY-99' }), ctx)).toEqual([{ label: 'PAY-99', href: urls.pir }]);
    expect(vendorLinks(entry('page.acknowledged', { incidentId: 'PD123' }), ctx)).toEqual([
      { label: 'PagerDuty PD123', href: urls.pagerduty },
    ]);
    expect(vendorLinks(entry('action.completed', { key: 'PAY-42', url: 'https://jira.example/x' }), {})).toEqual([
      { label: 'jira.example/x', href: 'https://jira.example/x' },
    ]);
  });

  it('never links a script or a malformed URL', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(vendorLinks(entry('action.completed', { url: 'javascript:alert(1)' }), { urls, majorIncident: mi })).toEqual(
      [],
    );
    expect(
      vendorLinks(entry('state.changed', { record: SN }), { urls: { servicenow: 'javascript:x' }, majorIncident: mi }),
    ).toEqual([]);
  });
});
