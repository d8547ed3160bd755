// What each timeline entry says, in words an incident manager reads at 3 a.m.: one sentence per
// entry kind, its milestone (if it is one), the system it concerns, whether it is a failure, and
// whether it is a machine event (collapsed by default). Pure (no DOM): the detail is hostile input,
// so these return plain strings that the view puts on the page as text.

export const SYSTEM_NAMES = {
  servicenow: 'ServiceNow',
  jira: 'Jira',
  pagerduty: 'PagerDuty',
  slack: 'Slack',
  teams: 'Teams',
  email: 'Email',
  'mim-bridge': 'mim-bridge',
};

/** Kinds the service writes many of, mechanically: hidden until asked for. */
export const MACHINE_KINDS = new Set(['action.completed', 'actions.planned', 'rules.evaluated', 'measure.recorded']);

const ROLE_NAMES = {
  majorIncidentManager: 'manager',
  commsLead: 'comms lead',
  serviceOwner: 'service owner',
  resolverGroup: 'resolver group',
};

const TRIGGERS = {
  'rule.propose': 'by a rule',
  'rule.declare': 'by a rule',
  'manual.declare': 'by hand',
  'manual.resolve': 'by hand',
  'manual.cancel': 'by hand',
  'manual.close': 'by hand',
  'source.major_proposed': 'proposed in ServiceNow',
  'source.major_accepted': 'accepted in ServiceNow',
  'source.major_rejected': 'rejected in ServiceNow',
  'source.major_canceled': 'cancelled in ServiceNow',
  'source.resolved': 'the source record was resolved',
  'source.closed': 'the source record was closed',
  'source.reopened': 'the source record was re-opened',
  'source.canceled': 'the source record was cancelled',
};

const own = (table, key) => (typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined);

/** A detail value as short text; objects as compact JSON. */
export function str(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const clip = (text, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const list = (value) => (Array.isArray(value) ? value.map(str).filter(Boolean) : []);
const systemName = (id) => own(SYSTEM_NAMES, id) ?? str(id);
const triggerText = (t) => own(TRIGGERS, str(t)) ?? str(t);

/** "45 s", "5 min", "1.5 h", from milliseconds. */
export function duration(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 60_000) return `${Math.round(n / 1000)} s`;
  if (n < 3_600_000) return `${Math.round(n / 60_000)} min`;
  return `${(n / 3_600_000).toFixed(1)} h`;
}

/** "ServiceNow INC0010001" from `{source, recordId, number?}`. */
export function recordName(r) {
  if (!r || typeof r !== 'object') return 'a record';
  return `${systemName(r.source)} ${str(r.number ?? r.recordId)}`;
}

const rolesText = (roles) =>
  Object.entries(roles && typeof roles === 'object' ? roles : {})
    .map(([k, v]) => `${own(ROLE_NAMES, k) ?? k} ${v === null || v === undefined ? '(none)' : str(v)}`)
    .join(', ') || 'none';

/** `pagerduty:alice` → `alice`. */
const agentOf = (actor) => str(actor?.id).replace(/^[a-z]+:/, '');

/** The system an entry concerns, for the system filter: a vendor, or mim-bridge itself. */
export function systemOf(e) {
  const d = e.detail ?? {};
  if (e.kind?.startsWith('action.')) {
    const target = e.kind === 'action.discarded' ? d.target : e.actor?.id;
    if (own(SYSTEM_NAMES, target)) return target;
  }
  if (e.kind?.startsWith('page.')) return 'pagerduty';
  const source = str(e.actor?.id).split(':')[0];
  if (e.actor?.type === 'source' && own(SYSTEM_NAMES, source)) return source;
  const record = d.record ?? d.child;
  if (record && typeof record === 'object' && own(SYSTEM_NAMES, record.source) && e.kind !== 'rules.evaluated')
    return record.source;
  return 'mim-bridge';
}

/** The milestone an entry marks (`declared`, `acknowledged`, `escalated`, `update sent`, …), or undefined. */
export function milestoneOf(e) {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'state.changed':
      if (d.to === 'declared') return d.from === 'resolved' || d.from === 'closed' ? 're-opened' : 'declared';
      return own({ resolved: 'resolved', closed: 'closed', canceled: 'cancelled', rejected: 'rejected' }, d.to);
    case 'page.acknowledged':
      return 'acknowledged';
    case 'page.escalated':
    case 'escalation.ack':
      return 'escalated';
    case 'update.posted':
      return 'update sent';
    case 'pir.scheduled':
    case 'pir.reminded':
    case 'pir.completed':
      return 'PIR';
    case 'drill.scorecard':
      return 'drill scored';
    default:
      return undefined;
  }
}

/** A failure or something overdue: what "errors only" keeps. */
export function isError(e) {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'action.dead_lettered':
    case 'transition.refused':
    case 'sync.conflict':
      return true;
    case 'cadence.tick':
      return d.overdue === true;
    case 'mobilisation.checked':
      return d.met === false;
    default:
      return false;
  }
}

function stateText(d) {
  const why = [
    d.trigger ? triggerText(d.trigger) : '',
    d.reason ? str(d.reason) : '',
    d.relatedTo ? `follows ${str(d.relatedTo)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  const tail = why ? ` (${why})` : '';
  if (d.to === 'declared') {
    if (d.from === 'resolved' || d.from === 'closed') return `Re-opened: declared again after being ${d.from}${tail}`;
    if (d.from === 'candidate') return `Declared: the candidate was accepted${tail}`;
    return `Declared a major incident${tail}`;
  }
  const label = own(
    {
      candidate: 'Proposed as a candidate major incident',
      resolved: 'Resolved',
      closed: 'Closed',
      canceled: 'Cancelled',
      rejected: 'Rejected as a major incident',
    },
    d.to,
  );
  return `${label ?? `Moved from ${str(d.from)} to ${str(d.to)}`}${tail}`;
}

function actionText(d, e) {
  const name = systemName(e.actor?.id);
  const what = str(d.do) || 'action';
  if (d.skipped) return `${name}: ${what} skipped (${str(d.skipped)})`;
  const parts = [];
  if (d.template) parts.push(`"${str(d.template)}"`);
  if (d.channel) parts.push(`to ${str(d.channel)}`);
  if (typeof d.to === 'number') parts.push(`to ${d.to} address${d.to === 1 ? '' : 'es'}`);
  if (d.key) parts.push(str(d.key));
  if (d.dedupKey) parts.push(`dedup key ${str(d.dedupKey)}`);
  return `${name}: ${what} done${parts.length ? ` · ${parts.join(' ')}` : ''}`;
}

/** Every entry kind the service writes, with its sentence; an unknown kind still reads as its fields. */
const TEXT = {
  'state.changed': (d) => stateText(d),
  'rules.evaluated': (d, e) =>
    `Rules evaluated ${recordName(d.record)}: ${str(d.decision) || 'none'}${
      e.actor?.id && e.actor.id !== 'none' ? ` (rule ${str(e.actor.id)})` : ''
    }`,
  'actions.planned': (d) =>
    `Planned ${list(d.actions).length || (Array.isArray(d.actions) ? 0 : '?')} action(s) for ${
      list(d.effects).join(', ') || 'no effect'
    }`,
  'roles.assigned': (d) => `Roles from the service catalogue: ${rolesText(d.roles)}`,
  'roles.changed': (d, e) => {
    const keys = Object.keys({ ...(d.from ?? {}), ...(d.to ?? {}) });
    const changes = keys
      .map((k) => `${own(ROLE_NAMES, k) ?? k} ${str(d.from?.[k]) || '(none)'} → ${str(d.to?.[k]) || '(none)'}`)
      .join(', ');
    const where = d.record ? ` in ${recordName(d.record)}` : '';
    return `Roles changed by ${str(d.by ?? agentOf(e.actor))}${where}: ${changes || 'nothing'}${
      d.reason ? ` (${str(d.reason)})` : ''
    }`;
  },
  'audiences.changed': (d, e) => {
    const added = list(d.add);
    const removed = list(d.remove);
    const parts = [
      added.length ? `added ${added.join(', ')}` : '',
      removed.length ? `removed ${removed.join(', ')}` : '',
    ];
    return `Audiences changed by ${str(d.by ?? e.actor?.id)}: ${parts.filter(Boolean).join('; ') || 'no change'}${
      d.reason ? ` (${str(d.reason)})` : ''
    }`;
  },
  'child.attached': (d) => `Attached ${recordName(d.child)}${d.reason ? ` (${str(d.reason)})` : ''}`,
  'transition.refused': (d) =>
    `Refused: ${triggerText(d.trigger)}${d.from ? ` while ${str(d.from)}` : ''}: ${str(d.reason)}${
      d.note ? ` (${str(d.note)})` : ''
    }`,
  'field.synced': (d) =>
    `${str(d.field) || 'Field'} synced from ${recordName(d.record)}: ${str(d.from) || '(none)'} → ${str(d.to)}`,
  'sync.conflict': (d) =>
    `Conflict on ${str(d.field)}: ${recordName(d.record)} set ${str(d.value)}, ${str(d.kept)} kept (${str(d.reason)})`,
  'priority.raised': (d) =>
    `Priority raised ${d.from === null || d.from === undefined ? '(none)' : `P${str(d.from)}`} → P${str(d.to)} by ${recordName(
      d.child,
    )}`,
  'update.posted': (d, e) => `Update posted by ${str(e.actor?.id)}: "${clip(str(d.text))}"`,
  'page.triggered': (d) =>
    `${d.escalationPage ? 'Escalation page' : 'Page'} triggered in PagerDuty${d.incidentId ? ` (${str(d.incidentId)})` : ''}`,
  'page.acknowledged': (d, e) =>
    `${d.escalationPage ? 'Escalation page' : 'Page'} acknowledged by ${agentOf(e.actor) || 'someone'}`,
  'page.unacknowledged': (_d, e) => `Page no longer acknowledged (${agentOf(e.actor) || 'PagerDuty'})`,
  'page.escalated': (_d, e) => `PagerDuty escalated the page (${agentOf(e.actor) || 'PagerDuty'})`,
  'page.resolved': (d) => `${d.escalationPage ? 'Escalation page' : 'Page'} resolved in PagerDuty`,
  'page.reopened': () => 'Page re-opened in PagerDuty',
  'escalation.ack': (d) =>
    `Not acknowledged after ${duration(d.unacknowledgedForMs)}: escalation #${str(d.n)} paged the ${
      str(d.paged) || 'escalation routing key'
    }${d.notified ? `, and emailed ${str(d.notified)}` : ''}`,
  'mobilisation.checked': (d) =>
    d.met
      ? '15-minute check: every mobilisation item is done'
      : `15-minute check: not done: ${list(d.unmet).join(', ') || '?'}${d.notified ? `; emailed ${str(d.notified)}` : ''}`,
  'cadence.tick': (d) =>
    `Update #${str(d.n)} due: ${d.overdue ? 'OVERDUE, no update went out in the interval' : 'an update went out'}${
      d.autoPost ? '; the latest update was sent automatically' : d.reminded ? `; reminded ${str(d.reminded)}` : ''
    }`,
  'pir.scheduled': (d) =>
    `Post-incident review due ${str(d.dueAt).slice(0, 10)}${d.owner ? `, owner ${str(d.owner)}` : ''}`,
  'pir.reminded': (d) =>
    `Post-incident review overdue${d.pir ? ` (${str(d.pir)})` : ''}: reminded ${str(d.owner) || 'nobody (no owner)'}`,
  'pir.completed': (d) => `Post-incident review ${str(d.pir)} done`,
  'measure.recorded': (d) =>
    `Measure ${str(d.measure)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()}: ${str(d.text) || str(d.ms ?? d.ratio)}`,
  'drill.scorecard': scorecardText,
  'action.completed': actionText,
  'action.dead_lettered': (d, e) =>
    `${systemName(e.actor?.id)}: ${str(d.do) || 'action'} failed for good (${str(d.code)})${
      d.detail ? `: ${clip(str(d.detail), 160)}` : ''
    }`,
  'action.discarded': (d, e) =>
    `${systemName(d.target)}: ${str(d.do)} (${str(d.code)}) discarded by ${str(e.actor?.id)}: ${str(d.reason)}`,
};

export const KNOWN_KINDS = Object.freeze(Object.keys(TEXT));

/** A closed drill's scorecard (process/scorecard.ts): each target met (✓) or missed (✗) in words too. */
function scorecardText(d) {
  const mark = (s) => (s?.met ? '✓ met' : '✗ missed');
  const part = (label, s) => `${label} ${str(s?.text) || '?'} ${mark(s)}`;
  const missed = Array.isArray(d.checklistMissed) ? d.checklistMissed.map((c) => str(c?.label)).filter(Boolean) : [];
  return [
    `Drill scorecard: ${d.met ? 'every target met' : 'targets missed'}`,
    part('acknowledge', d.acknowledge),
    part('mobilise', d.mobilise),
    part('first communication', d.firstCommunication),
    `updates ${Array.isArray(d.updates) ? d.updates.length : 0}, ${str(d.cadence?.missed ?? 0)} of ${str(
      d.cadence?.deadlines ?? 0,
    )} update deadlines missed`,
    missed.length ? `checklist missed: ${missed.join(', ')}` : 'checklist complete',
  ].join('; ');
}

/** The sentence for one entry. */
export function entryText(e) {
  const d = e.detail && typeof e.detail === 'object' ? e.detail : {};
  const text = own(TEXT, e.kind);
  if (text) return text(d, e);
  const fields = Object.entries(d)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${clip(str(v), 60)}`)
    .join(', ');
  return `${str(e.kind)}${fields ? `: ${fields}` : ''}`;
}

/** Everything the view needs to know about an entry. */
export const describeEntry = (e) => ({
  text: entryText(e),
  milestone: milestoneOf(e),
  error: isError(e),
  machine: MACHINE_KINDS.has(e.kind),
  system: systemOf(e),
});

const SN_SYS_ID = /^[0-9a-f]{32}$/;

/** An http(s) URL as text, or undefined: a `javascript:` or malformed URL from a vendor is never a link. */
export function safeUrl(value) {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The URL of another record in the same system, from the detail's URL of the major incident's own. */
function sibling(base, source, record) {
  const url = safeUrl(base);
  if (!url || !record) return undefined;
  const u = new URL(url);
  if (source === 'servicenow' && SN_SYS_ID.test(str(record.recordId))) {
    u.searchParams.set('sys_id', record.recordId);
    return u.href;
  }
  if (source === 'jira' && record.number) {
    u.pathname = u.pathname.replace(/[^/]*$/, encodeURIComponent(str(record.number)));
    return u.href;
  }
  return undefined;
}

/**
 * Vendor ids in an entry as links `{label, href}`: a URL the entry carries, and the ids the
 * detail's `urls` open (the ServiceNow record and other records of the same instance, the Jira
 * issue, the PIR, the PagerDuty incident). Without `urls` only the entry's own URL links.
 */
export function vendorLinks(e, ctx = {}) {
  const d = e.detail && typeof e.detail === 'object' ? e.detail : {};
  const urls = ctx.urls ?? {};
  const mi = ctx.majorIncident;
  const out = [];
  const add = (label, href) => {
    const safe = safeUrl(href);
    if (safe && !out.some((l) => l.href === safe)) out.push({ label, href: safe });
  };
  if (d.url) {
    const href = safeUrl(d.url);
    if (href) add(clip(`${new URL(href).host}${new URL(href).pathname}`, 60), href);
  }
  for (const record of [d.record, d.child]) {
    if (!record || typeof record !== 'object') continue;
    const isOrigin = mi?.origin?.source === record.source && mi?.origin?.recordId === record.recordId;
    const base = record.source === 'servicenow' ? urls.servicenow : record.source === 'jira' ? urls.jira : undefined;
    add(recordName(record), isOrigin ? base : sibling(base, record.source, record));
  }
  const jiraKey = mi?.links?.jira?.key ?? (mi?.origin?.source === 'jira' ? mi.origin.number : undefined);
  for (const key of [d.key, d.parent, d.linkedTo]) {
    if (typeof key !== 'string') continue;
    if (key === jiraKey) add(key, urls.jira);
    else if (key === mi?.links?.pir?.key) add(key, urls.pir);
  }
  if (typeof d.pir === 'string' && d.pir === mi?.links?.pir?.key) add(d.pir, urls.pir);
  if (typeof d.incidentId === 'string' && d.incidentId === mi?.links?.pagerduty?.incidentId)
    add(`PagerDuty ${d.incidentId}`, urls.pagerduty);
  return out;
}
